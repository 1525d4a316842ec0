/**
 * coupons.discount_value means a percentage or an amount depending on discount_type: 'percent'
 * becomes discount_percent (the exact decimal text), 'fixed' becomes discount_amount_minor (minor
 * units of the coupon's currency); any other discount_type has no meaning for it and is rejected.
 */
import type { SourceRow, SourceTable } from '../../sources/catalog.js';
import { MappingError, type TableRule } from '../mapping.js';
import { parseDecimal, reject } from '../../codecs/pgtext.js';
import { money } from '../../codecs/money.js';

function discount(row: SourceRow, data: Record<string, unknown>): void {
  const type = row.discount_type ?? null;
  const value = row.discount_value ?? null;
  if (value === null) reject('coupons.discount_value is NULL');
  if (type === 'percent') {
    if (value === 'NaN' || /Infinity/.test(value)) reject(`coupons.discount_value is ${value}, which is no percentage`);
    data.discount_percent = parseDecimal(value, 'coupons.discount_value');
    data.discount_amount_minor = null;
  } else if (type === 'fixed') {
    data.discount_percent = null;
    data.discount_amount_minor = money(value, row.currency ?? null, 'coupons.discount_value', 'coupons.currency');
  } else {
    reject(`coupons.discount_type is ${JSON.stringify(type)}: only 'percent' and 'fixed' have a meaning for discount_value`);
  }
}

export const couponDiscount: TableRule = {
  fields: ['discount_percent', 'discount_amount_minor'],
  compile(table: SourceTable) {
    if (table.columns.find((c) => c.name === 'discount_value')?.kind !== 'numeric') throw new MappingError('coupons.discount_value must be numeric');
    return discount;
  },
  plan: { discount_value: { field: 'discount_percent', type: 'string' } },
  note: "discount_value → discount_percent (exact decimal text) when discount_type is 'percent', discount_amount_minor (minor units of currency) when 'fixed'; any other discount_type is rejected.",
};
