using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExperimentCluster.Contracts.Json;

/// <summary>
/// The one JSON configuration for everything ExperimentCluster writes for people and programs: the CLI's --json
/// lines, the export and the HTTP API. Keys are snake_case, statuses lower-case words, and NaN and infinities are
/// written as null, because a diverged run's loss is a result and every answer must stay valid JSON.
/// Grain state is stored with its own settings (SiloBuilderExtensions), so this shape can change without a migration.
/// </summary>
public static class ExclJson
{
    /// <summary>One object per line, as `--json` prints and the API answers.</summary>
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    /// <summary>The same configuration, indented: the export file, which people read too.</summary>
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    /// <summary>Applies the configuration to options owned by someone else (the web host's HTTP JSON options).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        // The default encoder writes every non-ASCII character and HTML's <, >, &, ' and " as \uXXXX, so the answer in
        // summary.json read "0.1962 \u00B1 0.02193" and an explanation's quoted names \u0022. These documents are
        // served as application/json or written to files, never inlined into HTML, so only what JSON itself requires
        // (quotes, backslashes, control characters) is escaped.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new FiniteDoubleConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }

    public static string Line<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static string Document<T>(T value) => JsonSerializer.Serialize(value, Indented);

    public static T? Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions { WriteIndented = indented };
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
