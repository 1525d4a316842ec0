/** Peak resident set size of this process so far, in MB (the run's summary prints it). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
