"""Unit tests of src/python/excl_trial.py (run by PythonHelperTests.cs: python3 -m unittest, PYTHONPATH=src/python)."""

import io
import json
import math
import os
import signal
import tempfile
import unittest
from contextlib import redirect_stdout
from unittest import mock

import excl_trial


def trial_with(variables, **kwargs):
    with mock.patch.dict(os.environ, variables, clear=True):
        return excl_trial.init(handle_sigterm=False, **kwargs)


def reported(trial, epoch, **kwargs):
    out = io.StringIO()
    with redirect_stdout(out):
        trial.report(epoch, **kwargs)
    return out.getvalue()


class ReadingTheEnvironment(unittest.TestCase):
    def test_the_params_file_and_the_trial_variables_are_read(self):
        folder = tempfile.mkdtemp()
        params = os.path.join(tempfile.mkdtemp(), "params.json")
        with open(params, "w") as f:
            json.dump({"learning_rate": 0.01, "layers": [64]}, f)
        trial = trial_with({"EXCL_PARAMS": params, "EXCL_SEED": "7", "EXCL_SWEEP": "s-1", "EXCL_RUN": "3",
                            "EXCL_MAX_EPOCHS": "30", "EXCL_CHECKPOINT_DIR": folder},
                           defaults={"learning_rate": 0.5, "batch_size": 16}, max_epochs=20)
        self.assertEqual(trial.params, {"learning_rate": 0.01, "layers": [64], "batch_size": 16})
        self.assertEqual((trial.seed, trial.sweep, trial.run, trial.max_epochs, trial.checkpoint_dir),
                         (7, "s-1", 3, 30, folder))

    def test_without_a_params_file_the_EXCL_PARAM_variables_are_read_by_lower_cased_name(self):
        trial = trial_with({"EXCL_PARAM_LEARNING_RATE": "1E-05", "EXCL_PARAM_OPTIMIZER": "adam",
                            "EXCL_PARAM_LAYERS": "[64]"})
        self.assertEqual(trial.params, {"learning_rate": 1e-05, "optimizer": "adam", "layers": [64]})

    def test_outside_the_cluster_defaults_seed_0_and_an_empty_temporary_folder(self):
        trial = trial_with({}, defaults={"learning_rate": 0.1}, max_epochs=20)
        self.assertEqual((trial.params, trial.seed, trial.sweep, trial.run, trial.max_epochs),
                         ({"learning_rate": 0.1}, 0, None, None, 20))
        self.assertEqual(os.listdir(trial.checkpoint_dir), [])
        self.assertEqual(trial.restore(), (0, None))

    def test_a_missing_hyperparameter_without_a_default_is_a_key_error_naming_it(self):
        trial = trial_with({"EXCL_PARAM_BATCH_SIZE": "32"})
        self.assertEqual(trial.param("learning_rate", 0.1), 0.1)
        with self.assertRaisesRegex(KeyError, "'learning_rate' is not set .*batch_size"):
            trial.param("learning_rate")

    def test_bad_variables_are_errors_naming_them(self):
        for name, value, reason in [("EXCL_SEED", "seven", "not a whole number"), ("EXCL_MAX_EPOCHS", "0", "at least 1"),
                                    ("EXCL_CHECKPOINT_EPOCH", "-2", "at least 0")]:
            with self.subTest(name=name), self.assertRaisesRegex(ValueError, "^%s .*%s" % (name, reason)):
                trial_with({name: value})
        with self.assertRaisesRegex(ValueError, "^EXCL_PARAMS .*not a JSON object"):
            path = os.path.join(tempfile.mkdtemp(), "p.json")
            with open(path, "w") as f:
                f.write("[1]")
            trial_with({"EXCL_PARAMS": path})
        with self.assertRaisesRegex(ValueError, "^EXCL_CHECKPOINT_DIR .*not a folder"):
            trial_with({"EXCL_CHECKPOINT_DIR": "/nonexistent/checkpoint"})


class Reporting(unittest.TestCase):
    def test_a_report_is_one_flushed_line_with_bare_non_finite_tokens(self):
        trial = trial_with({})
        line = reported(trial, 3, val_loss=float("nan"), a=float("inf"), b=float("-inf"), c=None, d=0.1, n=2)
        self.assertEqual(line, '{"epoch": 3, "val_loss": NaN, "a": Infinity, "b": -Infinity, "c": null, "d": 0.1, "n": 2}\n')

    def test_a_checkpoint_line_ends_with_checkpoint_true_and_the_state_is_saved_first(self):
        trial = trial_with({})
        seen = []

        class Looking(io.StringIO):
            def write(self, text):
                seen.append(sorted(os.listdir(trial.checkpoint_dir)))
                return super().write(text)

        out = Looking()
        with redirect_stdout(out):
            trial.report(1, checkpoint={"w": [1.0]}, val_loss=0.5)
        self.assertEqual(out.getvalue(), '{"epoch": 1, "val_loss": 0.5, "checkpoint": true}\n')
        self.assertEqual(seen, [["excl-state-1.json"]])

    def test_bad_reports_are_refused_before_anything_is_printed_or_saved(self):
        trial = trial_with({})
        for call, error in [(lambda: trial.report(0, val_loss=1), ValueError),
                            (lambda: trial.report(True, val_loss=1), TypeError),
                            (lambda: trial.report(1, step=1), ValueError),
                            (lambda: trial.report(1, val_loss="low"), TypeError),
                            (lambda: trial.report(1, checkpoint={"f": object()}, val_loss=1), TypeError)]:
            out = io.StringIO()
            with self.subTest(error=error), redirect_stdout(out), self.assertRaises(error):
                call()
            self.assertEqual(out.getvalue(), "")
        self.assertEqual(os.listdir(trial.checkpoint_dir), [])


class Checkpoints(unittest.TestCase):
    def test_a_checkpoint_restores_as_saved_in_the_next_process_nan_included(self):
        folder = tempfile.mkdtemp()
        reported(trial_with({"EXCL_CHECKPOINT_DIR": folder}), 1, checkpoint={"w": [0.1, 1 / 3, float("nan")]}, val_loss=1)
        epoch, state = trial_with({"EXCL_CHECKPOINT_DIR": folder, "EXCL_CHECKPOINT_EPOCH": "1"}).restore()
        self.assertEqual((epoch, state["w"][:2]), (1, [0.1, 1 / 3]))
        self.assertTrue(math.isnan(state["w"][2]))

    def test_the_folder_keeps_the_last_two_states(self):
        trial = trial_with({})
        for epoch in range(1, 6):
            reported(trial, epoch, checkpoint=epoch, val_loss=1)
        self.assertEqual(sorted(os.listdir(trial.checkpoint_dir)), ["excl-state-4.json", "excl-state-5.json"])

    def test_restoring_an_earlier_epoch_drops_later_states_and_partial_files(self):
        folder = tempfile.mkdtemp()
        trial = trial_with({"EXCL_CHECKPOINT_DIR": folder})
        reported(trial, 1, checkpoint="one", val_loss=1)
        reported(trial, 2, checkpoint="two", val_loss=1)
        with open(os.path.join(folder, "excl-state-3.json.partial"), "w") as f:
            f.write('{"epoch": 3, "sta')
        self.assertEqual(trial_with({"EXCL_CHECKPOINT_DIR": folder, "EXCL_CHECKPOINT_EPOCH": "1"}).restore(), (1, "one"))
        self.assertEqual(os.listdir(folder), ["excl-state-1.json"])

    def test_without_EXCL_CHECKPOINT_EPOCH_the_newest_state_is_restored_and_0_means_fresh(self):
        folder = tempfile.mkdtemp()
        trial = trial_with({"EXCL_CHECKPOINT_DIR": folder})
        reported(trial, 1, checkpoint="one", val_loss=1)
        reported(trial, 2, checkpoint="two", val_loss=1)
        self.assertEqual(trial_with({"EXCL_CHECKPOINT_DIR": folder}).restore(), (2, "two"))
        self.assertEqual(trial_with({"EXCL_CHECKPOINT_DIR": folder, "EXCL_CHECKPOINT_EPOCH": "0"}).restore(), (0, None))
        self.assertEqual(os.listdir(folder), [])

    def test_a_checkpoint_epoch_the_folder_lacks_is_an_error_naming_it(self):
        folder = tempfile.mkdtemp()
        with self.assertRaisesRegex(RuntimeError, "EXCL_CHECKPOINT_EPOCH is 4 .*%s.*holds: nothing" % folder):
            trial_with({"EXCL_CHECKPOINT_DIR": folder, "EXCL_CHECKPOINT_EPOCH": "4"}).restore()

    def test_a_write_that_fails_part_way_leaves_the_previous_state_and_no_partial_file(self):
        trial = trial_with({})
        reported(trial, 1, checkpoint="good", val_loss=1)
        with mock.patch.object(excl_trial.os, "fsync", side_effect=OSError("disk full")):
            with redirect_stdout(io.StringIO()) as out, self.assertRaises(OSError):
                trial.report(2, checkpoint="x" * 100000, val_loss=1)
        self.assertEqual(out.getvalue(), "")
        self.assertEqual(os.listdir(trial.checkpoint_dir), ["excl-state-1.json"])


class Sigterm(unittest.TestCase):
    def test_sigterm_raises_system_exit_143_so_finally_blocks_run(self):
        previous = signal.getsignal(signal.SIGTERM)
        try:
            with mock.patch.dict(os.environ, {}, clear=True):
                excl_trial.init()
            cleaned = []
            with self.assertRaises(SystemExit) as stopped, redirect_stdout(io.StringIO()):
                try:
                    os.kill(os.getpid(), signal.SIGTERM)
                    for _ in range(1000000):  # the handler runs between two bytecodes of this loop
                        pass
                finally:
                    cleaned.append(True)
            self.assertEqual(stopped.exception.code, 143)
            self.assertEqual(cleaned, [True])
        finally:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    unittest.main()
