import type { SocialPlatform } from '@zhengrowth/model';
import { linkedinAdapter } from './linkedin.js';
import type { PlatformConfig, SocialPlatformAdapter } from './types.js';
import { xAdapter } from './x.js';

export type { SocialPlatformAdapter, PlatformConfig } from './types.js';

/** Each platform's adapter factory: a new platform is its file and one line here. */
const FACTORIES: Record<SocialPlatform, (config: PlatformConfig) => SocialPlatformAdapter> = {
  linkedin: linkedinAdapter,
  x: xAdapter,
};

/** The platforms' adapters, each built on first use (its client secret is read then). */
export type Platforms = (platform: SocialPlatform) => SocialPlatformAdapter;

export function platforms(config: (platform: SocialPlatform) => PlatformConfig): Platforms {
  const built = new Map<SocialPlatform, SocialPlatformAdapter>();
  return (platform) => {
    let adapter = built.get(platform);
    if (!adapter) {
      adapter = FACTORIES[platform](config(platform));
      built.set(platform, adapter);
    }
    return adapter;
  };
}
