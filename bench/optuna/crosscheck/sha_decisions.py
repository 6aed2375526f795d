import optuna, random
optuna.logging.set_verbosity(optuna.logging.ERROR)
rng = random.Random(12)
curves = [[round(rng.uniform(0.1, 1.0) + rng.uniform(0.0, 0.5) / s, 3) for s in range(1, 9)] for _ in range(16)]
study = optuna.create_study(pruner=optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3))
out = []
for t, curve in enumerate(curves):
    trial = study.ask()
    stop = None
    for step, v in enumerate(curve, start=1):
        trial.report(v, step)
        if trial.should_prune():
            stop = step
            break
    study.tell(trial, state=optuna.trial.TrialState.PRUNED) if stop else study.tell(trial, curve[-1])
    out.append((t, stop))
print(curves)
print(out)
