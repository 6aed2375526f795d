namespace ExperimentCluster.Training.Prediction;

/// <summary>
/// How well a model predicts rows whose true values are known: a classifier's log loss (the mean cross-entropy, the loss
/// the trainer reports by default) and accuracy; a regression's errors in the target's own units, and the mean squared
/// error of the standardised target, which is what the trainer reports as the loss of a regression with the mse loss (its
/// default). On rows the sweep never saw, these are the figures to quote: the sweep picked its best run by its validation
/// loss, so that loss flatters it.
/// </summary>
public sealed record ModelEvaluation(int Rows, double? LogLoss, double? Accuracy, int? Correct, double? Mse, double? Rmse, double? Mae, double? StandardisedMse)
{
    public static ModelEvaluation Of(ModelPredictor predictor, PredictionRows rows)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Labels is { } labels)
        {
            double loss = 0;
            var correct = 0;
            for (var r = 0; r < rows.Count; r++)
            {
                var z = predictor.Logits(rows.Row(r));
                loss += ModelPredictor.LogSumExp(z) - z[labels[r]];
                if (Array.IndexOf(z, z.Max()) == labels[r]) correct++;
            }
            return new ModelEvaluation(rows.Count, loss / rows.Count, (double)correct / rows.Count, correct, null, null, null, null);
        }
        if (rows.Targets is { } targets)
        {
            double squared = 0, absolute = 0;
            for (var r = 0; r < rows.Count; r++)
            {
                var error = predictor.Predict(rows.Row(r))[0] - targets[r];
                squared += error * error;
                absolute += Math.Abs(error);
            }
            var mse = squared / rows.Count;
            var scale = predictor.Model.TargetScale!.Value;
            return new ModelEvaluation(rows.Count, null, null, null, mse, Math.Sqrt(mse), absolute / rows.Count, mse / (scale * scale));
        }
        throw new InvalidOperationException($"{rows.Source} has no column of true values to score the predictions against");
    }
}
