import { z } from "zod";

/** Value shapes several settings sections share. */

export const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** Regular expressions (JavaScript syntax, matched case-insensitively); each must compile. */
export const regexList = z
  .array(
    z
      .string()
      .min(1)
      .max(500)
      .refine((src) => {
        try {
          new RegExp(src, "i");
          return true;
        } catch {
          return false;
        }
      }, "a valid regular expression"),
  )
  .max(100);
