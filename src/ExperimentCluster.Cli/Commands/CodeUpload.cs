using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExperimentCluster.CommandTrials.Archives;
using ExperimentCluster.Contracts;

namespace ExperimentCluster.Cli.Commands;

/// <summary>
/// `--upload DIR` on run and submit: the folder packed (less what the ignore rules leave out), its hash written into the
/// sweep's <c>command</c> block as <c>code</c>, and the archive stored in the cluster under that hash unless it is there
/// already. Every silo that runs a trial unpacks it once and runs the trial in it.
/// </summary>
public sealed class CodeUpload
{
    public const string NotACommandSweep = "--upload: only a command sweep (with `command:`) runs uploaded code";

    private CodeUpload(string folder, PackedFolder packed, string hash, string sweepJson)
    {
        Folder = folder;
        Packed = packed;
        Hash = hash;
        SweepJson = sweepJson;
    }

    public string Folder { get; }

    public PackedFolder Packed { get; }

    public string Hash { get; }

    /// <summary>The sweep to submit: the sweep file's JSON with <c>command.code</c> set to <see cref="Hash"/>.</summary>
    public string SweepJson { get; }

    /// <summary>Packs the folder for the sweep (JSON, already checked), before anything connects: bad input fails fast.</summary>
    public static CodeUpload Prepare(string folder, string sweepJson)
    {
        var sweep = JsonNode.Parse(sweepJson, documentOptions: new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        }) as JsonObject;
        if (sweep?["command"] is not JsonObject command)
            throw new CliException(NotACommandSweep);
        if (command.ContainsKey("code"))
            throw new CliException("--upload: the sweep file names its code already (command.code); give one or the other");
        PackedFolder packed;
        try
        {
            packed = CodeFolder.Pack(folder);
        }
        catch (ArchiveException e)
        {
            throw new CliException($"--upload: {e.Message}");
        }
        var hash = CodeHash.Of(packed.Archive);
        command["code"] = hash;
        return new CodeUpload(folder, packed, hash, sweep.ToJsonString());
    }

    /// <summary>Stores the archive unless the cluster has it, and says which on standard error.</summary>
    public async Task StoreAsync(IGrainFactory grains)
    {
        var code = grains.Code(Hash);
        var stored = await code.HasAsync();
        if (!stored)
        {
            try
            {
                await code.StoreAsync(Packed.Archive);
            }
            catch (CodeStoreException e)
            {
                throw new CliException($"--upload: the cluster refused the code: {e.Message}");
            }
        }
        var kib = ((Packed.Archive.Length + 1023) / 1024).ToString(CultureInfo.InvariantCulture);
        var files = Packed.Files == 1 ? "1 file" : $"{Packed.Files.ToString(CultureInfo.InvariantCulture)} files";
        await Console.Error.WriteLineAsync(
            $"uploaded {TerminalText.Plain(Folder)}: {files}, {kib} KiB, {CodeHash.Short(Hash)} ({(stored ? "already stored" : "stored")})");
    }
}
