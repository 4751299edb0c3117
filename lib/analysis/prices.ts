export type Architecture = "x86_64" | "arm64";

export interface PriceTier {
  /** Monthly GB-seconds up to which this price applies (Infinity for the last tier). */
  upToGbSeconds: number;
  usdPerGbSecond: number;
}

export interface LambdaRegionPrice {
  usdPerRequest: number;
  tiers: Record<Architecture, PriceTier[]>;
  source: string;
}

const SIX_BILLION = 6_000_000_000;
const FIFTEEN_BILLION = 15_000_000_000;
const SEVEN_AND_HALF_BILLION = 7_500_000_000;
const EIGHTEEN_AND_QUARTER_BILLION = 18_750_000_000;

const STANDARD_SOURCE =
  "https://aws.amazon.com/lambda/pricing/ (AWS Lambda pricing) and https://aws.amazon.com/blogs/compute/introducing-tiered-pricing-for-aws-lambda/ (AWS Compute Blog, \"Introducing tiered pricing for AWS Lambda\")";

/** The price most commercial regions share: x86 tiers at 6 bn and 15 bn GB-s a month, arm64 at 7.5 bn and 18.75 bn. */
function standardPrice(source: string): LambdaRegionPrice {
  return {
    usdPerRequest: 0.2 / 1_000_000,
    tiers: {
      x86_64: [
        { upToGbSeconds: SIX_BILLION, usdPerGbSecond: 0.0000166667 },
        { upToGbSeconds: FIFTEEN_BILLION, usdPerGbSecond: 0.000015 },
        { upToGbSeconds: Infinity, usdPerGbSecond: 0.0000133334 },
      ],
      arm64: [
        { upToGbSeconds: SEVEN_AND_HALF_BILLION, usdPerGbSecond: 0.0000133334 },
        { upToGbSeconds: EIGHTEEN_AND_QUARTER_BILLION, usdPerGbSecond: 0.0000120001 },
        { upToGbSeconds: Infinity, usdPerGbSecond: 0.0000106667 },
      ],
    },
    source,
  };
}

export const LAMBDA_PRICES: Record<string, LambdaRegionPrice> = {
  // US East (N. Virginia): source above, as of the tiered-pricing announcement.
  "us-east-1": standardPrice(STANDARD_SOURCE),
  // US East (Ohio): same price list page, same figures as us-east-1.
  "us-east-2": standardPrice(STANDARD_SOURCE),
  // US West (Oregon): same price list page, same figures as us-east-1.
  "us-west-2": standardPrice(STANDARD_SOURCE),
  // Europe (Ireland): same price list page, same figures as us-east-1.
  "eu-west-1": standardPrice(STANDARD_SOURCE),
  // Europe (Frankfurt): same price list page, same figures as us-east-1.
  "eu-central-1": standardPrice(STANDARD_SOURCE),
};

/** Regions not in the table: the standard commercial-region price, an estimate until the region is added. */
export const DEFAULT_LAMBDA_PRICE: LambdaRegionPrice = standardPrice(`${STANDARD_SOURCE}; assumed for regions not listed`);

export function lambdaPriceFor(region: string | null | undefined): LambdaRegionPrice {
  return (region ? LAMBDA_PRICES[region] : undefined) ?? DEFAULT_LAMBDA_PRICE;
}

/** Monthly free tier (requests and GB-seconds), shared across an account's functions. */
export const LAMBDA_FREE_TIER = { requests: 1_000_000, gbSeconds: 400_000 } as const;
