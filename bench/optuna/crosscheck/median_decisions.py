import optuna, random
optuna.logging.set_verbosity(optuna.logging.ERROR)
rng = random.Random(7)
curves = [[round(f + rng.uniform(0.0, 2.0) / s + rng.uniform(-0.05, 0.05), 3) for s in range(1, 9)] for f in [rng.uniform(0.1, 1.0) for _ in range(20)]]
study = optuna.create_study(pruner=optuna.pruners.MedianPruner())
out = []
for t, curve in enumerate(curves):
    trial = study.ask()
    stop = None
    for step, v in enumerate(curve, start=1):
        trial.report(v, step)
        if step < len(curve) and trial.should_prune():  # no check at the last epoch, as this project's rules
            stop = step
            break
    study.tell(trial, state=optuna.trial.TrialState.PRUNED) if stop else study.tell(trial, curve[-1])
    out.append((t, stop))
print(curves)
print(out)
