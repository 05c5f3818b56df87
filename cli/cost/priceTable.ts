import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

const priceItemSchema = z.object({
  unit: z.string(),
  /** The AWS pricing page the figure came from. */
  page: z.string().url(),
  /** When the figure was read (YYYY-MM-DD). */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** Region code → USD per unit. */
  prices: z.record(z.string(), z.number().nonnegative()),
});

export const priceTableSchema = z.object({
  currency: z.literal("USD"),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  about: z.string(),
  items: z.record(z.string(), priceItemSchema),
});

export type PriceTable = z.infer<typeof priceTableSchema>;
export type PriceItem = z.infer<typeof priceItemSchema>;

/** The table shipped with Flipstack (cli/cost/prices.json), refreshed by `npm run refresh-prices`. */
export const PRICE_TABLE_FILE = path.join(__dirname, "prices.json");

export function loadPriceTable(file = PRICE_TABLE_FILE): PriceTable {
  return priceTableSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
}

/** A price as the estimate cites it: the figure, and where and when it was read. */
export interface Price {
  key: string;
  usd: number;
  unit: string;
  page: string;
  date: string;
}

/** The price of `key` in `region`, or undefined when the table has none (the estimate then says so). */
export function lookupPrice(table: PriceTable, key: string, region: string): Price | undefined {
  const item = table.items[key];
  const usd = item?.prices[region];
  return item && usd !== undefined ? { key, usd, unit: item.unit, page: item.page, date: item.date } : undefined;
}
