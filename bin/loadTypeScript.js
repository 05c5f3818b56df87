// Loads `.ts` files through sucrase (types stripped, imports to CommonJS; no type check: `npm run typecheck`
// does that). Transpiled files are cached by content in node_modules/.cache, so a second plan skips the parse.
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { addHook } = require("pirates");

const cacheDir = path.join(__dirname, "..", "node_modules", ".cache", "flipstack-ts");
const salt = require("sucrase/package.json").version;

function transpile(code, filename) {
  const key = crypto.createHash("sha1").update(salt).update(filename).update(code).digest("hex");
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // not cached yet
  }
  const { transform } = require("sucrase"); // loaded only on a cache miss
  const result = transform(code, { transforms: ["imports", "typescript"], filePath: filename, sourceMapOptions: { compiledFilename: filename } });
  const map = Buffer.from(JSON.stringify(result.sourceMap)).toString("base64");
  const output = `${result.code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${map}`;
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(`${cached}.${process.pid}`, output);
    fs.renameSync(`${cached}.${process.pid}`, cached); // atomic: concurrent runs never read half a file
  } catch {
    // a read-only install still works, just without the cache
  }
  return output;
}

let registered = false;
exports.register = function register() {
  if (registered || require.extensions[".ts"]) return;
  addHook(transpile, { exts: [".ts"], ignoreNodeModules: false });
  registered = true;
};
