"""The user's side of the ExperimentCluster trial protocol (examples/trial-protocol.md), standard library only.

Three lines in a training script::

    trial = excl_trial.init()                       # hyperparameters, seed, checkpoint folder
    epoch, state = trial.restore()                  # (0, None) on a fresh start
    trial.report(epoch, checkpoint=state, val_loss=0.41, train_loss=0.38)   # one report line per epoch

On the cluster every value comes from the EXCL_* environment. Outside it (a local try, no EXCL_* set) the
hyperparameters are the script's defaults, the seed is 0 and the checkpoint folder is a new temporary folder.

The checkpoint state is any JSON-serialisable object. It is kept in the checkpoint folder as
``excl-state-<epoch>.json`` ({"epoch": N, "state": ...}); the folder keeps the last two, so that a run stopped
between writing a checkpoint and reporting it still finds the one it reported.

SIGTERM (how the cluster stops a trial) raises SystemExit(143) in the main thread, so ``finally`` blocks and
context managers run and the program exits promptly. A checkpoint being written at that moment is abandoned whole:
the folder never holds a partial state file.
"""

import json
import operator
import os
import re
import signal
import sys
import tempfile

__all__ = ["Trial", "init"]

_STATE_FILE = re.compile(r"^excl-state-(\d+)\.json$")
_TEMP_SUFFIX = ".partial"
_RESERVED_METRICS = ("epoch", "step", "checkpoint")
_REQUIRED = object()


def _state_file_name(epoch):
    return "excl-state-%d.json" % epoch


class Trial:
    """One trial: its hyperparameters, seed, identity and checkpoint folder; restores and reports."""

    def __init__(self, params, seed, sweep, run, checkpoint_dir, checkpoint_epoch, max_epochs):
        self.params = params                        # dict: hyperparameter name -> value
        self.seed = seed                            # int: use it for every random choice
        self.sweep = sweep                          # str, or None outside the cluster
        self.run = run                              # int, or None outside the cluster
        self.checkpoint_dir = checkpoint_dir        # str: the only folder the trial may write into
        self.max_epochs = max_epochs                # int, or None when neither the sweep nor the script says
        self._checkpoint_epoch = checkpoint_epoch   # int, or None: then the folder's newest state is the one

    def param(self, name, default=_REQUIRED):
        """The hyperparameter's value; the default when the trial has none; KeyError naming it without a default."""
        if name in self.params:
            return self.params[name]
        if default is _REQUIRED:
            known = ", ".join(sorted(self.params)) or "none"
            raise KeyError("hyperparameter %r is not set (this trial has: %s); pass a default to param() or "
                           "to init(defaults=...)" % (name, known))
        return default

    def restore(self):
        """(epoch, state) of the checkpoint to resume from, or (0, None) on a fresh start.

        On the cluster EXCL_CHECKPOINT_EPOCH names the epoch the restored folder holds; without it the newest
        state in the folder is used. State files of later epochs (written but never reported) are removed, so
        that the run carries on from exactly the reported checkpoint.
        """
        stored = self._stored_epochs()
        epoch = self._checkpoint_epoch
        if epoch is None:
            epoch = max(stored) if stored else 0
        self._remove_temporary_files()
        for later in (e for e in stored if e > epoch):
            os.remove(os.path.join(self.checkpoint_dir, _state_file_name(later)))
        if epoch == 0:
            return 0, None
        if epoch not in stored:
            raise RuntimeError("EXCL_CHECKPOINT_EPOCH is %d but the checkpoint folder %s holds no %s (it holds: %s)"
                               % (epoch, self.checkpoint_dir, _state_file_name(epoch),
                                  ", ".join(sorted(os.listdir(self.checkpoint_dir))) or "nothing"))
        path = os.path.join(self.checkpoint_dir, _state_file_name(epoch))
        with open(path, "r", encoding="utf-8") as f:
            saved = json.load(f)
        if not isinstance(saved, dict) or saved.get("epoch") != epoch or "state" not in saved:
            raise RuntimeError("checkpoint file %s is not an excl_trial state of epoch %d" % (path, epoch))
        return epoch, saved["state"]

    def report(self, epoch, checkpoint=None, **metrics):
        """Reports one epoch: saves `checkpoint` (when given) into the folder, then prints one JSON line.

        Metric values are numbers (anything float() accepts, such as numpy scalars) or None; NaN and infinities
        are printed as bare NaN/Infinity/-Infinity, which the protocol allows.
        """
        epoch = _whole_epoch(epoch)
        line = {"epoch": epoch}
        for name, value in metrics.items():
            if name in _RESERVED_METRICS:
                raise ValueError("metric name %r is reserved by the trial protocol" % name)
            line[name] = _metric_value(name, value)
        if checkpoint is not None:
            self._save(epoch, checkpoint)
            line["checkpoint"] = True
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()

    def _save(self, epoch, state):
        # Serialise first: a state that is not JSON fails here, before anything touches the folder.
        text = json.dumps({"epoch": epoch, "state": state})
        final = os.path.join(self.checkpoint_dir, _state_file_name(epoch))
        temporary = final + _TEMP_SUFFIX
        try:
            with open(temporary, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporary, final)   # atomic: readers see the old file or the whole new one
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
        _fsync_folder(self.checkpoint_dir)
        # Keep this epoch's state and the one before it (see the module's comment); drop older ones.
        for old in (e for e in self._stored_epochs() if e < epoch - 1):
            os.remove(os.path.join(self.checkpoint_dir, _state_file_name(old)))

    def _stored_epochs(self):
        epochs = []
        for name in os.listdir(self.checkpoint_dir):
            match = _STATE_FILE.match(name)
            if match:
                epochs.append(int(match.group(1)))
        return epochs

    def _remove_temporary_files(self):
        # Left by a process stopped in the middle of a save (SIGKILL gives no chance to clean up).
        for name in os.listdir(self.checkpoint_dir):
            if name.endswith(_TEMP_SUFFIX) and _STATE_FILE.match(name[:-len(_TEMP_SUFFIX)]):
                os.remove(os.path.join(self.checkpoint_dir, name))


def init(defaults=None, max_epochs=None, handle_sigterm=True):
    """Reads the trial from the environment (see examples/trial-protocol.md).

    defaults: hyperparameter values the script uses when the trial does not set them (a local try).
    max_epochs: the number of epochs when EXCL_MAX_EPOCHS is not set.
    handle_sigterm: install the SIGTERM handler described in the module's comment (main thread only).
    """
    env = os.environ
    params = dict(defaults or {})
    params.update(_read_params(env))
    checkpoint_dir = env.get("EXCL_CHECKPOINT_DIR") or tempfile.mkdtemp(prefix="excl-trial-")
    if not os.path.isdir(checkpoint_dir):
        raise ValueError("EXCL_CHECKPOINT_DIR %r is not a folder" % checkpoint_dir)
    env_max_epochs = _int_variable(env, "EXCL_MAX_EPOCHS", minimum=1)
    trial = Trial(params=params,
                  seed=_int_variable(env, "EXCL_SEED", minimum=None) or 0,
                  sweep=env.get("EXCL_SWEEP") or None,
                  run=_int_variable(env, "EXCL_RUN", minimum=0),
                  checkpoint_dir=checkpoint_dir,
                  checkpoint_epoch=_int_variable(env, "EXCL_CHECKPOINT_EPOCH", minimum=0),
                  max_epochs=env_max_epochs if env_max_epochs is not None else max_epochs)
    if handle_sigterm:
        _install_sigterm_handler()
    return trial


def _read_params(env):
    """EXCL_PARAMS (a JSON file) when set; otherwise the EXCL_PARAM_<NAME> variables, names lower-cased."""
    path = env.get("EXCL_PARAMS")
    if path:
        try:
            with open(path, "r", encoding="utf-8") as f:
                params = json.load(f)
        except (OSError, ValueError) as e:
            raise ValueError("EXCL_PARAMS %r: cannot read a JSON object from it: %s" % (path, e)) from e
        if not isinstance(params, dict):
            raise ValueError("EXCL_PARAMS %r holds %s, not a JSON object of hyperparameters"
                             % (path, type(params).__name__))
        return params
    params = {}
    for key, text in env.items():
        if key.startswith("EXCL_PARAM_") and len(key) > len("EXCL_PARAM_"):
            try:
                value = json.loads(text)     # numbers and lists are JSON text ...
            except ValueError:
                value = text                 # ... a string value is itself
            params[key[len("EXCL_PARAM_"):].lower()] = value
    return params


def _int_variable(env, name, minimum):
    text = env.get(name)
    if text is None or text == "":
        return None
    try:
        value = int(text)
    except ValueError:
        raise ValueError("%s is %r, not a whole number" % (name, text)) from None
    if minimum is not None and value < minimum:
        raise ValueError("%s is %d; it must be at least %d" % (name, value, minimum))
    return value


def _whole_epoch(epoch):
    if isinstance(epoch, bool):
        raise TypeError("epoch must be a whole number, not a bool")
    try:
        epoch = operator.index(epoch)
    except TypeError:
        raise TypeError("epoch must be a whole number, not %r" % (epoch,)) from None
    if epoch < 1:
        raise ValueError("epoch is %d; reports count epochs from 1" % epoch)
    return epoch


def _metric_value(name, value):
    if value is None:
        return None
    if isinstance(value, (bool, str, bytes)):
        raise TypeError("metric %r is %r; a metric is a number or None" % (name, value))
    if isinstance(value, int):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError("metric %r is %r; a metric is a number or None" % (name, value)) from None


def _fsync_folder(path):
    # The rename is durable only once the folder's entry is; not every platform can open a folder.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _install_sigterm_handler():
    def stop(signum, frame):
        sys.stderr.write("excl_trial: SIGTERM received, stopping\n")
        sys.stderr.flush()
        raise SystemExit(128 + signal.SIGTERM)

    try:
        signal.signal(signal.SIGTERM, stop)
    except ValueError:
        pass  # not the main thread: the caller keeps Python's default (immediate exit)

