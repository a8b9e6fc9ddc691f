"""`make css`: Bootstrap cut to the classes the portal uses, with PurgeCSS (npm, run by npx).

Output: static/portal/css/bootstrap.purged.min.css (committed; base.html links it instead of the
232 KB bootstrap.min.css). The content scanned is every template (ours and crispy-bootstrap5's),
our JavaScript and our Python (form widgets set classes there): a class named anywhere is kept, so
the cut is conservative. Run it again after adding Bootstrap classes to a template.
"""

import subprocess
import sys
from pathlib import Path

import crispy_bootstrap5
import xstatic.pkg.bootstrap as xstatic_bootstrap

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "static" / "portal" / "css" / "bootstrap.purged.min.css"
PURGECSS = "purgecss@7.0.2"


def main() -> int:
    source = Path(xstatic_bootstrap.BASE_DIR) / "css" / "bootstrap.min.css"
    crispy = Path(crispy_bootstrap5.__file__).parent / "templates"
    content = [
        "templates/**/*.html",
        "*/templates/**/*.html",
        f"{crispy}/**/*.html",
        "static/**/*.js",
        *(
            f"{app}/**/*.py"
            for app in ("portal", "complaints", "education", "desa_migran", "oversight")
        ),
    ]
    result = subprocess.run(
        ["npx", "--yes", PURGECSS, "--css", str(source), "--content", *content],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        return result.returncode
    import json

    css = json.loads(result.stdout)[0]["css"]
    OUTPUT.write_text(css + "\n")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(css):,} bytes (from {source.stat().st_size:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
