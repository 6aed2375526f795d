namespace ExperimentCluster.Silo;

/// <summary>The body of every error answer of the API: {"error": "field: reason"}.</summary>
public sealed record ApiError(string Error);
