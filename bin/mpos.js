#!/usr/bin/env node
// The `mpos` developer toolbox. Runs the bundle that `npm run build` makes (npm start and npm test
// build it); builds it first when it is missing.
"use strict";
const { existsSync } = require("fs");
const { join } = require("path");
const { execFileSync } = require("child_process");

const root = join(__dirname, "..");
const bundle = join(root, "dist", "mpos.cjs");
if (!existsSync(bundle)) {
  execFileSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit" });
}
require(bundle);
