// Numbers written as the service writes an item's numbers ("10.0", "2.5"),
// from the digits sent: a price of 20 digits keeps all 20, where a double
// would hold 17.

/** The digits of a number the spec takes (a JSON number or a string of digits), written out in full: `1e21` is `"1000000000000000000000"`. */
function digitsOf(value: number | string): string {
  if (typeof value === "string") return value;
  if (Number.isInteger(value)) return BigInt(value).toString();
  // The shortest digits that read back as the same number, as they were
  // written in the JSON (2.675, not 2.67499999…); past the point in full
  // where they have an exponent (1e-7).
  const shortest = String(value);
  return shortest.includes("e") ? value.toFixed(20).replace(/0+$/, "") : shortest;
}

/**
 * The number as an item's read writes it: at least one decimal, no trailing
 * zeros past the first (`"100"` is `"100.0"`, `"2.50"` is `"2.5"`); with
 * `places`, rounded half up to that many decimals first.
 */
export function decimalText(value: number | string, places?: number): string {
  let [whole = "0", fraction = ""] = digitsOf(value).split(".");
  if (places !== undefined && fraction.length > places) {
    const up = fraction[places]! >= "5";
    const scaled = BigInt(whole + fraction.slice(0, places)) + (up ? 1n : 0n);
    const text = scaled.toString().padStart(places + 1, "0");
    [whole, fraction] = [text.slice(0, text.length - places), text.slice(text.length - places)];
  }
  fraction = fraction.replace(/0+$/, "");
  return `${whole}.${fraction || "0"}`;
}
