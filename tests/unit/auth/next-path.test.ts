import { describe, expect, it } from "vitest";
import { safeNext } from "../../../lib/auth/next-path.ts";

describe("safeNext: where a sign-in may send the browser", () => {
  it.each(["/", "/history", "/dashboard/dashboard?view=raw", "/dashboard/a.b_c-d~e", "/?pane=%253&x=1", "/login?next=%2Fhistory"])("keeps the local path %s", (p) => {
    expect(safeNext(p)).toBe(p);
  });

  it.each([
    ["protocol-relative", "//evil.example/x"],
    ["slash backslash", "/\\evil.example/x"],
    ["encoded backslash", "/%5Cevil.example/x"],
    ["encoded backslash, lower case", "/%5cevil.example/x"],
    ["encoded slash", "/%2Fevil.example/x"],
    ["encoded slash, lower case", "/%2fevil.example"],
    ["two backslashes", "\\\\evil.example"],
    ["backslash first", "\\/evil.example"],
    ["scheme", "https://evil.example/"],
    ["javascript scheme", "javascript:alert(1)"],
    ["data scheme", "data:text/html,x"],
    ["no leading slash", "evil.example"],
    ["encoded dots", "/%2e%2e/%2e%2e/evil"],
    ["dot segments", "/a/../../evil"],
    ["single dot segment", "/./x"],
    ["tab after slash", "/\t/evil.example"],
    ["newline after slash", "/\n/evil.example"],
    ["encoded tab", "/%09/evil.example"],
    ["encoded newline", "/%0a/evil.example"],
    ["leading space", " //evil.example"],
    ["space inside", "/ /evil.example"],
    ["NUL", "/\u0000/evil.example"],
    ["encoded NUL", "/%00x"],
    ["DEL", "/\u007f"],
    ["unicode slash look-alike", "/\uff0fevil.example"],
    ["fragment", "/#token=pc_x"],
    ["bad percent encoding", "/%zz"],
    ["empty", ""],
    ["far too long", "/" + "a".repeat(3000)],
  ])("refuses %s", (_name, p) => {
    expect(safeNext(p)).toBe("/");
  });

  it("refuses what is not a string", () => {
    expect(safeNext(undefined)).toBe("/");
    expect(safeNext(["/x"])).toBe("/");
    expect(safeNext(null)).toBe("/");
  });
});
