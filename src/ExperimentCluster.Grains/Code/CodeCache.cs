using ExperimentCluster.CommandTrials.Archives;
using ExperimentCluster.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExperimentCluster.Grains.Code;

/// <summary>
/// This silo's unpacked copies of uploaded code: <c>&lt;root&gt;/&lt;64 hex digits&gt;/</c>, fetched from the code grain
/// and unpacked the first time a trial of that code runs here, then reused. One per silo (a singleton).
/// <para>
/// A folder counts only with its marker beside it (<c>&lt;hex&gt;.complete</c>), written after the folder is in place:
/// a folder that a crash left without one is unpacked again. Callers asking for the same code at once share one fetch
/// and unpack.
/// </para>
/// </summary>
public sealed class CodeCache
{
    public const string MarkerSuffix = ".complete";

    private readonly IGrainFactory _grains;
    private readonly long _maxBytes;
    private readonly ILogger<CodeCache> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Task<string>> _loads = new(StringComparer.Ordinal);

    public CodeCache(IGrainFactory grains, IOptions<ExperimentOptions> options, ILogger<CodeCache> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _grains = grains;
        _logger = logger;
        _maxBytes = options.Value.MaxCodeBytes;
        var folder = options.Value.CodeCacheFolder;
        Root = Path.GetFullPath(string.IsNullOrWhiteSpace(folder) ? Path.Combine(Path.GetTempPath(), "excl-code") : folder);
    }

    /// <summary>The folder that holds one folder per code hash.</summary>
    public string Root { get; }

    /// <summary>The folder of the code's unpacked files, fetched and unpacked first if this silo has no complete copy.</summary>
    public Task<string> EnsureAsync(string hash, CancellationToken cancellationToken)
    {
        if (CodeHash.Problem(hash) is { } problem)
            throw new ArgumentException($"code: {problem}", nameof(hash));
        Task<string>? load;
        lock (_lock)
        {
            // A failed load is tried again by the next caller; so is a finished one whose folder was removed since.
            if (!_loads.TryGetValue(hash, out load) || load.IsFaulted || load.IsCanceled
                || (load.IsCompletedSuccessfully && !File.Exists(MarkerOf(hash))))
            {
                // On the thread pool, not on the first caller's grain: the load is shared and outlives that call.
                load = Task.Run(() => LoadAsync(hash), CancellationToken.None);
                _loads[hash] = load;
            }
        }
        // One caller giving up does not cancel the load the others wait for.
        return load.WaitAsync(cancellationToken);
    }

    /// <summary>Where the code's files are (or will be) on this silo.</summary>
    public string FolderOf(string hash) => Path.Combine(Root, CodeHash.Hex(hash));

    public string MarkerOf(string hash) => FolderOf(hash) + MarkerSuffix;

    private async Task<string> LoadAsync(string hash)
    {
        var folder = FolderOf(hash);
        var marker = MarkerOf(hash);
        if (File.Exists(marker) && Directory.Exists(folder))
            return folder;
        // From here the folder is not trusted until the marker is written again.
        Directory.CreateDirectory(Root);
        File.Delete(marker);
        var archive = await _grains.Code(hash).GetAsync()
            ?? throw new InvalidOperationException($"code {hash} is not in the cluster's storage; upload it with `excl submit --upload DIR`");
        if (archive.Length > _maxBytes)
            throw new InvalidOperationException($"code {CodeHash.Short(hash)}: {ByteSize.Text(archive.Length)} is over this silo's limit of {ByteSize.Text(_maxBytes)} (Experiments:MaxCodeBytes)");
        if (CodeHash.Of(archive) != hash)
            throw new InvalidOperationException($"code {hash}: the stored archive has another hash; the storage is damaged");
        try
        {
            FolderArchive.Unpack(archive, folder, FolderArchive.UnpackedBound(_maxBytes));
        }
        catch (ArchiveException e)
        {
            throw new InvalidOperationException($"code {CodeHash.Short(hash)}: {e.Message}", e);
        }
        await File.WriteAllTextAsync(marker, hash + "\n");
        _logger.LogInformation("Unpacked code {Hash} ({Bytes} bytes) into {Folder}", hash, archive.Length, folder);
        return folder;
    }
}
