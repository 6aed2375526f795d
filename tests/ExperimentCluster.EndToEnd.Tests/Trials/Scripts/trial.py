"""A well-behaved trial for the tests (examples/trial-protocol.md). Its loss is RATE plus a state `w` that it carries
in its checkpoint folder, so a resumed run matches an uninterrupted one only if the checkpoint came back.

Test knobs, from the sweep's `env:`: MARKERS (a folder: pids-RUN lists its process ids, sigterm-RUN marks a SIGTERM,
hanging-RUN a hang), EPOCH_SECONDS (sleep per epoch), NAN_RATE (the rate whose loss is NaN), HANG_AFTER (on a fresh
start, hang after reporting that epoch), DEAF=1 (ignore SIGTERM: only SIGKILL ends it), LATE_RISE_RATE (the rate whose
loss rises by 0.5 at the last epoch: its best loss is low, its final one is not)."""
import json
import os
import random
import signal
import sys
import time

env = os.environ
rate = float(env["EXCL_PARAM_RATE"])
folder = env["EXCL_CHECKPOINT_DIR"]


def mark(name, text=""):
    with open(os.path.join(env["MARKERS"], f"{name}-{env['EXCL_RUN']}"), "a") as f:
        f.write(text)


def on_sigterm(signum, frame):
    mark("sigterm")
    while env.get("DEAF") == "1":
        time.sleep(1)
    sys.exit(143)


signal.signal(signal.SIGTERM, on_sigterm)
mark("pids", f"{os.getpid()}\n")

start = int(env["EXCL_CHECKPOINT_EPOCH"])
state = {"epoch": 0, "w": 1.0}
if start > 0:
    with open(os.path.join(folder, "state.json")) as f:
        state = json.load(f)
    if state["epoch"] != start:
        sys.exit(f"the checkpoint folder holds epoch {state['epoch']}, not {start}")
    print(f"resumed from epoch {start}", file=sys.stderr, flush=True)

for epoch in range(start + 1, int(env["EXCL_MAX_EPOCHS"]) + 1):
    time.sleep(float(env.get("EPOCH_SECONDS", "0")))
    noise = random.Random(int(env["EXCL_SEED"]) * 1000 + epoch).random()
    state = {"epoch": epoch, "w": 0.9 * state["w"] + 0.1 * noise}
    with open(os.path.join(folder, "state.tmp"), "w") as f:
        json.dump(state, f)
    os.replace(os.path.join(folder, "state.tmp"), os.path.join(folder, "state.json"))
    loss = float("nan") if str(rate) == env.get("NAN_RATE") else rate + state["w"]
    if str(rate) == env.get("LATE_RISE_RATE") and epoch == int(env["EXCL_MAX_EPOCHS"]):
        loss += 0.5
    print(json.dumps({"epoch": epoch, "val_loss": loss, "train_loss": state["w"], "checkpoint": True}), flush=True)
    print(f"epoch {epoch} done", file=sys.stderr, flush=True)
    if start == 0 and str(epoch) == env.get("HANG_AFTER"):
        mark("hanging")
        while True:
            time.sleep(1)
