"""Seeds mode: one configuration over N seeds across two workers, each seed exactly once."""

from __future__ import annotations

import json
import os
import subprocess

from optuna.trial import TrialState

from study_helpers import by_state, load, read, wait_all


def test_two_workers_run_each_seed_of_a_configuration_once_and_summarise_the_spread(furuta_bin, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("environment:\n  count: 16\n  threads: 1\nppo:\n  stepsPerEnvironment: 16\n"
                      "  hiddenWidths: [16]\nevaluation:\n  everyIterations: 5\n  settings:\n    episodes: 2\n")
    out, storage = str(tmp_path / "out"), f"sqlite:///{tmp_path}/seeds.db"
    command = [furuta_bin, "sweep", "--storage", storage, "--study", "seeds", "--seeds", "3", "--config", str(config),
               "--out", out, "--trial-seconds", "2", "--final-episodes", "2", "--heartbeat-seconds", "1"]
    workers = [subprocess.Popen(command, stdout=open(tmp_path / f"{i}.log", "w"), stderr=subprocess.STDOUT)
               for i in range(2)]
    assert wait_all(workers, 180) == [0, 0], [read(str(tmp_path / f"{i}.log")) for i in range(2)]

    trials = load(storage, "seeds")
    complete = by_state(trials, TrialState.COMPLETE)
    assert len(trials) == 3 and len(complete) == 3
    assert sorted(t.params["ppo.seed"] for t in complete) == [1, 2, 3]
    for t in complete:  # the seed reached the trainer
        assert f"seed: {t.params['ppo.seed']}\n" in read(os.path.join(t.user_attrs["run_dir"], "config.yaml"))
    summary = json.loads(read(os.path.join(out, "seeds.json")))
    assert [r["seed"] for r in summary["per_seed"]] == [1, 2, 3]
    finals = sorted(r["final_success_rate"] for r in summary["per_seed"])
    assert summary["final_success_rate"]["worst"] == finals[0]
    assert summary["final_success_rate"]["median"] == finals[1]
    assert set(summary["time_to_success_s"]) == {"median", "p25", "p75", "best", "worst"}
    assert "median" in read(os.path.join(out, "seeds.md"))
