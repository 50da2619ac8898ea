#!/usr/bin/env bash
# The long CPU run's last stage (runs/gen_cpu_rule.md): apply the verdict of scripts/report_generalist.py.
#   bash scripts/ship_generalist.sh [REPORT]          (default REPORT: runs/gen_cpu_report.json)
# Only if the verdict says the pick replaces the shipped generalist: the pick is written as float16 into
# data_samples/models/generalist (the old one stays in git), its token pick is chosen again on runs/val by the same rule
# as before (scripts/choose_pick.py --save: the new weights get their own record), and it is scored on the bundled windows
# (runs/gen_cpu_bundled.json, the figures for the README). Otherwise it changes nothing and says why.
# Then: update the README's table, the tests' recorded figures and the results page, and commit.
set -euo pipefail
cd "$(dirname "$0")/.."
report=${1:-runs/gen_cpu_report.json}
pick=$(python - "$report" <<'EOF'
import json, sys
from pathlib import Path
p = Path(sys.argv[1])
if not p.is_file(): sys.exit(f"ship_generalist: {p}: no report yet (scripts/generalist_cpu_chain.sh writes it)")
r = json.loads(p.read_text())
v = r.get("verdict")
if Path(r["settings"]["base"]).resolve() != Path("data_samples/models/generalist").resolve():
    sys.exit(f"ship_generalist: {p}: the pick was judged against {r['settings']['base']}, not data_samples/models/generalist")
if v is None: sys.exit(f"ship_generalist: {p}: the report is unfinished (no verdict): run scripts/generalist_cpu_chain.sh again")
if not v["replaces_base"]:
    sys.exit(f"ship_generalist: {p}: the verdict keeps the shipped generalist (gain {v['gain']} dB, s.e. of the difference "
             f"{v['stderr_of_difference']}, teacher-forced drops {v['tf_drop']}, frames/s {v['fps']}): nothing to ship")
print(r["settings"]["pick"])
EOF
)
dest=data_samples/models/generalist
echo "ship_generalist: $pick replaces $dest"
python - "$pick" "$dest" "$report" <<'EOF'
import json, sys
from hma_nb.model import load_model, save_model
pick, dest, report = sys.argv[1:]
m = load_model(pick)
info = {k: v for k, v in m.info.items() if k != "pick"}     # the old weights' pick record does not describe these weights
save_model(m, dest, {**info, "selected": pick, "verdict": json.load(open(report))["verdict"]}, half=True)
EOF
python scripts/choose_pick.py "$dest" --root runs/val --windows 40 --out runs/gen_cpu_pick.json --save
hma-nb evaluate --model "$dest" --domain all --draws 2 --json > runs/gen_cpu_bundled.json
echo "ship_generalist: done; bundled-window figures in runs/gen_cpu_bundled.json"
