"""``twin`` console script: a Hydra app over ``configs/``.

User errors (a park that cannot be built) print one message listing every
problem and exit with status 2, without a traceback, and leave no run folder
that looks complete.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from twin.core.errors import TwinError
from twin.simulation import config_dir

EXIT_USER_ERROR = 2


def _task(cfg) -> None:
    from hydra.core.hydra_config import HydraConfig

    from twin.simulation import run_from_config

    run_dir = Path(HydraConfig.get().runtime.output_dir)
    try:
        results = run_from_config(cfg)
        results.save(run_dir)
    except TwinError as err:
        print(f"twin: {err}", file=sys.stderr)
        # Leave nothing that looks like a run: Hydra made the folder before us.
        shutil.rmtree(run_dir, ignore_errors=True)
        sys.exit(EXIT_USER_ERROR)
    s = results.summary
    core = next((i for i in s["indicators"] if str(i["name"]).startswith("core")), None)
    core_txt = f"core indicator {core['value']:.3f} tCO2/tce" if core and core["value"] is not None else ""
    print(f"twin: {s['park']}: {s['run']['hours']} h simulated in {s['runtime_s']['simulate']:.2f} s; "
          f"{core_txt}; results in {run_dir}", file=sys.stderr)


def main() -> None:
    import hydra

    from twin.config import register_configs

    register_configs()
    app = hydra.main(config_path=str(config_dir()), config_name="config", version_base=None)(_task)
    app()


if __name__ == "__main__":
    main()
