import { describe, expect, it } from "vitest";
import { pageRoute, type DocLookup } from "../../../lib/web/routes.ts";

const docs = (list: Array<{ name: string; kind: "markdown" | "history" }>): DocLookup => ({
  list: () => list,
  info: (name) => list.find((d) => d.name === name),
});
const fleet = docs([
  { name: "main", kind: "markdown" },
  { name: "team report", kind: "markdown" },
  { name: "history", kind: "history" },
]);

describe("pageRoute", () => {
  it("maps each page to its exported file", () => {
    expect(pageRoute("/", fleet)).toEqual({ kind: "file", file: "index.html" });
    expect(pageRoute("/login", fleet)).toEqual({ kind: "file", file: "login.html" });
    expect(pageRoute("/history", fleet)).toEqual({ kind: "file", file: "history.html" });
    expect(pageRoute("/sw.js", fleet)).toEqual({ kind: "file", file: "sw.js" });
    expect(pageRoute("/_next/static/chunks/a.js", fleet)).toEqual({ kind: "file", file: "_next/static/chunks/a.js" });
    expect(pageRoute("/history/__next._tree.txt", fleet)).toEqual({ kind: "file", file: "history/__next._tree.txt" });
  });

  it("serves one page for every configured dashboard, with its payloads, and 404 for any other name", () => {
    expect(pageRoute("/dashboard/main", fleet)).toEqual({ kind: "file", file: "dashboard/__doc__.html", doc: "main" });
    expect(pageRoute("/dashboard/team%20report", fleet)).toEqual({ kind: "file", file: "dashboard/__doc__.html", doc: "team report" });
    expect(pageRoute("/dashboard/main.txt", fleet)).toEqual({ kind: "file", file: "dashboard/__doc__.txt", doc: "main" });
    expect(pageRoute("/dashboard/main/__next._tree.txt", fleet)).toEqual({ kind: "file", file: "dashboard/__doc__/__next._tree.txt", doc: "main" });
    for (const bad of ["/dashboard/nope", "/dashboard/history", "/dashboard/__doc__", "/dashboard/%E0%A4%A", "/dashboard/main/other", "/dashboard/main/x/y"]) {
      expect(pageRoute(bad, fleet), bad).toEqual({ kind: "not-found" });
    }
  });

  it("sends /dashboard to the first dashboard, and answers 404 when there is none", () => {
    expect(pageRoute("/dashboard", fleet)).toEqual({ kind: "redirect", to: "/dashboard/main" });
    expect(pageRoute("/dashboard/", docs([{ name: "a b", kind: "markdown" }]))).toEqual({ kind: "redirect", to: "/dashboard/a%20b" });
    expect(pageRoute("/dashboard", docs([{ name: "history", kind: "history" }]))).toEqual({ kind: "not-found" });
  });

  it("answers 404 for the history without a configured history, and for Next.js's own 404 route", () => {
    const none = docs([{ name: "main", kind: "markdown" }]);
    for (const r of ["/history", "/history.txt", "/history/__next._tree.txt"]) expect(pageRoute(r, none), r).toEqual({ kind: "not-found" });
    for (const r of ["/404", "/404.html", "/_not-found", "/_not-found.txt", "/_not-found/__next._tree.txt"]) expect(pageRoute(r, fleet), r).toEqual({ kind: "not-found" });
  });

  it("never names a file outside the export", () => {
    for (const r of ["/../etc/passwd", "/a/../../b", "/./login", "//login", "/a//b", "/.."]) expect(pageRoute(r, fleet), r).toEqual({ kind: "not-found" });
  });
});
