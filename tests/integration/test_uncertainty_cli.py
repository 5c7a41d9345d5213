"""``priorsearch uncertainty``: fixed JSON, byte-identical outputs by seed (runs, thread
counts, in-process vs Dask), the model file's tables, and every bad input of issue 13."""
import json
import os
import subprocess
import sys

import pytest

from errorcheck import assert_input_error
from paths import REPO

DISTS = ["--dist", "g=loguniform(0.01, 100)", "--dist", "C_B=uniform(1, 100)", "--dist", "T_F=normal(10, 8)"]


def test_json_has_the_fixed_keys_and_the_exact_probability(cli):
    r = cli("uncertainty", "--dist", "g=loguniform(0.01, 100)", "--draws", "20000", "--seed", "3", "--json")
    assert r.status == 0, r.err
    data = json.loads(r.out)
    # exactly the keys (like rank --json): bins and mass-share indices are in the text
    assert set(data) == {"draws", "seed", "sampler", "winners", "deceptive", "deceptive_mass_share", "sobol"}
    assert data["draws"] == 20000 and data["seed"] == 3 and data["sampler"] == "random"
    lo, hi = data["deceptive"]["ci95"]
    assert lo <= 0.43175 <= hi
    assert set(data["sobol"]["g"]) == {"S1", "S1_ci", "ST", "ST_ci"}
    assert set(data["deceptive"]) == {"p", "ci95"}
    assert set(data["deceptive_mass_share"]) == {"mean", "q05", "q50", "q95"}


def test_text_report_has_the_bins_over_g_and_the_mass_share_sobol_indices(cli):
    r = cli("uncertainty", "--dist", "g=loguniform(0.01, 100)", "--dist", "C_B=uniform(10, 30)",
            "--draws", "4000", "--seed", "3")
    assert r.status == 0, r.err
    lines = r.out.splitlines()
    assert "P(a deceptive program wins | g), in bins of g:" in lines
    assert any(l.startswith("Sobol indices of the deceptive mass share") for l in lines)
    bins = [l.split() for l in lines if l.startswith("  ") and "draws)" in l]
    assert len(bins) == 16
    # below g* = 1.875 (for C_B near 20) Hfh wins, far above it Hsd: the bins go from 0 to 1
    assert float(bins[0][3]) == 0.0 and float(bins[-1][3]) == 1.0


def test_same_seed_same_bytes_across_runs(cli, tmp_path):
    outs = []
    for k in range(2):
        csv = tmp_path / f"d{k}.csv"
        r = cli("uncertainty", *DISTS, "--draws", "3000", "--seed", "11", "--sampler", "lhs", "--json",
                "--data", csv)
        assert r.status == 0, r.err
        outs.append((r.out, csv.read_bytes()))
    assert outs[0] == outs[1]
    lines = outs[0][1].decode().splitlines()
    header = [l for l in lines if not l.startswith("#")][0]
    assert header == "draw,g,C_B,T_F,winner,class,deceptive,deceptive_mass_share"
    assert len([l for l in lines if not l.startswith("#")]) == 3001
    assert "truncated_at_0" in lines[2] and '"T_F"' in lines[2]  # normal(10, 8) reaches below 0


def _subprocess(args, threads, tmp_path, tag):
    env = dict(os.environ, NUMBA_NUM_THREADS=str(threads), PYTHONPATH=str(REPO))
    csv = tmp_path / f"{tag}.csv"
    p = subprocess.run([sys.executable, "-m", "priorsearch", "uncertainty", *args, "--json", "--data", str(csv)],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert p.returncode == 0, p.stderr
    return p.stdout, csv.read_bytes()


def test_same_bytes_with_one_or_two_numba_threads(tmp_path):
    args = [*DISTS, "--space", "enumerate", "--max-size", "7", "--draws", "4000", "--seed", "2"]
    assert _subprocess(args, 1, tmp_path, "one") == _subprocess(args, 2, tmp_path, "two")


def test_in_process_and_a_two_worker_local_cluster_give_the_same_bytes(cli, tmp_path):
    # two program spaces (max_size 5 and 7) -> two Dask tasks, one per worker
    args = ["uncertainty", *DISTS, "--space", "enumerate", "--structure", "max_size=5,7", "--draws", "2000",
            "--seed", "8", "--json"]
    a = cli(*args, "--data", tmp_path / "a.csv")
    b = cli(*args, "--workers", "2", "--data", tmp_path / "b.csv")
    assert a.status == 0 and b.status == 0, (a.err, b.err)
    assert a.out == b.out
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_an_existing_scheduler_runs_the_tasks():
    from distributed import LocalCluster

    import priorsearch as ps

    kw = dict(dists={"C_B": "uniform(1, 100)"}, structure={"max_size": [3, 5]}, space="enumerate", draws=500, seed=1)
    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        remote = ps.uncertainty(**kw, scheduler=cluster.scheduler_address)
    assert remote.json_text() == ps.uncertainty(**kw).json_text()


def test_the_model_files_tables_are_read_and_dist_overrides_them(cli, tmp_path):
    text = (REPO / "programs" / "post.toml").read_text()
    model = tmp_path / "m.toml"
    model.write_text(text + '\n[uncertainty]\nC_B = "uniform(1, 100)"\nC_D = "uniform(0, 9)"\n')
    r = cli("uncertainty", "--model", model, "--g", "1", "--draws", "20000", "--json")
    data = json.loads(r.out)
    assert abs(data["deceptive"]["p"] - 66 / 99) < 0.01 and set(data["sobol"]) == {"C_B", "C_D"}
    r = cli("uncertainty", "--model", model, "--g", "1", "--dist", "C_B=fixed(10)", "--draws", "500", "--json")
    assert json.loads(r.out)["deceptive"]["p"] == 0.0  # C_B = 10 < 34: Hfh always


def test_a_bad_spec_in_the_model_file_is_located(cli, tmp_path):
    text = (REPO / "programs" / "post.toml").read_text()
    model = tmp_path / "m.toml"
    model.write_text(text + '\n[uncertainty]\nC_B = "unifrom(1, 100)"\n')
    n = len(text.splitlines()) + 3
    assert_input_error(cli("uncertainty", "--model", model),
                       rf".*m\.toml:{n}:\d+: error: \[uncertainty\] C_B: unknown distribution 'unifrom' \(did you mean 'uniform'\?\).*")


def test_figure_is_written(cli, tmp_path):
    out = tmp_path / "u.png"
    r = cli("uncertainty", *DISTS, "--draws", "2000", "--out", out)
    assert r.status == 0 and out.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("args, pattern", [
    (["--dist", "C_B=unifrm(1, 2)"], r"error: --dist C_B: unknown distribution 'unifrm' \(did you mean 'uniform'\?\).*"),
    (["--dist", "C_B=uniform(1)"], r"error: --dist C_B: uniform\(\) takes 2 arguments .*, got 1"),
    (["--dist", "C_B=uniform(5, 1)"], r"error: --dist C_B: uniform\(\) needs lo < hi, got lo = 5 >= hi = 1"),
    (["--dist", "T_F=normal(10, -1)"], r"error: --dist T_F: normal\(\) needs sd > 0, got -1"),
    (["--dist", "C_Q=uniform(1, 2)"], r"error: --dist C_Q: no parameter 'C_Q'.*"),
    (["--dist", "C_B=uniform(1, 2)", "--set", "C_B=3"], r"error: --dist C_B: C_B is also fixed by --set C_B; give one of them"),
    (["--dist", "g=uniform(1, 2)", "--g", "3"], r"error: --dist g: g is also fixed by --g; give one of them"),
    (["--set", "C_B=3", "--structure", "C_B=1,2"], r"error: structure C_B: C_B is also fixed by --set C_B; give one of them"),
    (["--dist", "C_B=uniform(1, 2)", "--sobol-n", str(2 ** 40)],
     r"error: --sobol-n 1,099,511,627,776 means 3,298,534,883,328 design points, about .* GiB \(limit .*\); use a smaller --sobol-n"),
    (["--draws", "0"], r"error: --draws must be a whole number >= 1, got 0"),
    (["--draws", "-5"], r"error: --draws must be a whole number >= 1, got -5"),
    (["--draws", "100000000000"], r"error: --draws 100,000,000,000 needs about .* GiB for the per-draw results .*"),
    (["--dist", "g=uniform(1, 2)", "--scheduler", "tcp://127.0.0.1:9", "--timeout", "1"],
     r"error: --scheduler tcp://127\.0\.0\.1:9: cannot reach a Dask scheduler within 1 s .*"),
    (["--scheduler", "tcp://127.0.0.1:9", "--timeout", "0"], r"error: --timeout must be a positive number of seconds, got 0\.0"),
    (["--corr", "C_B,T_F=0.5"], r"error: correlation C_B,T_F: C_B has no distribution .*"),
    (["--data", "out.txt"], r".*out\.txt.*"),
])
def test_bad_input_is_one_line_and_exit_2(cli, tmp_path, args, pattern, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert_input_error(cli("uncertainty", *args), pattern)
    assert not list(tmp_path.iterdir())


def test_models_with_weights_on_the_command_line(cli, tmp_path):
    text = (REPO / "programs" / "post.toml").read_text()
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(text)
    b.write_text(text.replace("C_B    = { value = 20", "C_B    = { value = 50", 1))
    r = cli("uncertainty", "--models", a, b, "--weights", "1", "3", "--g", "1", "--draws", "400", "--json")
    assert r.status == 0, r.err
    data = json.loads(r.out)
    assert data["deceptive"]["p"] == 0.75 and list(data["sobol"]) == ["models"]  # a Sobol input too
    assert data["sobol"]["models"]["ST"] > 0.95
    text = cli("uncertainty", "--models", a, b, "--weights", "1", "3", "--g", "1", "--draws", "400").out
    assert f"models={a} (100 draws); models={b} (300 draws)" in text
    assert_input_error(cli("uncertainty", "--models", a, b, "--weights", "1"),
                       r"error: --weights: 1 weights for 2 models")


def test_exclude_a_primitive_as_a_structural_draw(cli):
    # without is_deployed, Hfd cannot be written: the templates must not name it
    r = cli("uncertainty", "--programs", str(REPO / "programs" / "honest.prog"),
            str(REPO / "programs" / "simple_deceptive.prog"), "--structure", "exclude=,is_deployed",
            "--g", "1", "--draws", "100", "--json")
    assert r.status == 0, r.err
    data = json.loads(r.out)
    assert data["winners"] == {"honest": 1.0}
    text = cli("uncertainty", "--programs", str(REPO / "programs" / "honest.prog"),
               str(REPO / "programs" / "simple_deceptive.prog"), "--structure", "exclude=,is_deployed",
               "--g", "1", "--draws", "100").out
    assert "structure: exclude= (50 draws); exclude=is_deployed (50 draws)" in text


def test_a_scheduler_without_workers_is_an_error_within_the_timeout():
    import time

    from distributed import LocalCluster

    import priorsearch as ps

    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        start = time.monotonic()
        with pytest.raises(ps.InputError, match=r"--scheduler .*: the scheduler has no workers after 1 s; start some"):
            ps.uncertainty(dists={"C_B": "uniform(1, 100)"}, structure={"max_size": [3, 5]}, space="enumerate",
                           draws=50, scheduler=cluster.scheduler_address, timeout=1)
        assert time.monotonic() - start < 30


def test_an_address_that_is_not_a_dask_scheduler_is_one_line(cli):
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)

    def babble():  # answers every connection with bytes that are not Dask's protocol
        server.settimeout(20)
        try:
            while True:
                conn, _ = server.accept()
                conn.sendall(b"\xff" * 64 + b"HTTP/1.0 200 OK\r\n\r\n")
                conn.close()
        except OSError:
            pass

    threading.Thread(target=babble, daemon=True).start()
    port = server.getsockname()[1]
    try:
        assert_input_error(cli("uncertainty", "--dist", "g=uniform(1, 2)", "--scheduler", f"tcp://127.0.0.1:{port}",
                               "--timeout", "2"),
                           rf"error: --scheduler tcp://127\.0\.0\.1:{port}: cannot reach a Dask scheduler within 2 s .*")
    finally:
        server.close()


def test_a_distribution_in_the_model_file_and_a_set_value_conflict(cli, tmp_path):
    model = tmp_path / "m.toml"
    model.write_text((REPO / "programs" / "post.toml").read_text() + '\n[uncertainty]\nC_B = "uniform(1, 100)"\n')
    assert_input_error(cli("uncertainty", "--model", model, "--set", "C_B=3"),
                       r"error: C_B has a distribution and a fixed value \(--set C_B\); give one of them")


@pytest.mark.parametrize("on_dask", [False, True])
def test_the_progress_bar_counts_every_draw_and_design_row(monkeypatch, on_dask):
    import contextlib

    from distributed import LocalCluster

    import priorsearch as ps
    from priorsearch.uncertainty import run as run_module

    counted = []

    class Bar:
        def update(self, k):
            counted.append(k)

        def close(self):
            counted.append("closed")

    totals = []
    monkeypatch.setattr(run_module, "_bar", lambda total: totals.append(total) or Bar())
    with (LocalCluster(n_workers=1, processes=False, dashboard_address=None) if on_dask
          else contextlib.nullcontext()) as cluster:
        r = ps.uncertainty(dists={"C_B": "uniform(1, 100)"}, structure={"max_size": [3, 5]}, space="enumerate",
                           draws=3000, sobol_n=256, progress=True,
                           scheduler=cluster.scheduler_address if on_dask else None)
    assert counted[-1] == "closed" and sum(counted[:-1]) == totals[0] == 3000 + 256 * 4  # N (d + 2), d = 2
    assert r.draws == 3000
