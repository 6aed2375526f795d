using ExperimentCluster.CommandTrials.Archives;
using ExperimentCluster.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExperimentCluster.Grains.Code;

/// <summary>
/// One uploaded code archive, keyed by its hash. Written once: the key is the hash of the bytes, so a second store of the
/// same key can only be the same bytes and does nothing. Collected soon after its last call: it holds up to
/// Experiments:MaxCodeBytes in memory, and silos fetch it only when they first run a trial of a sweep.
/// </summary>
[GrainType("code")]
[CollectionAgeLimit(Minutes = 2)]
public sealed class CodeGrain(
    [PersistentState("code", StorageNames.Experiments)] IPersistentState<CodeState> store,
    IOptions<ExperimentOptions> options,
    IGrainContext context,
    ILogger<CodeGrain> logger) : Grain, ICodeGrain
{
    private readonly RecoveringState<CodeState> _writer = new(context, store, "code", ConflictRules.Code, logger);

    public Task<bool> HasAsync() => Task.FromResult(store.State.Archive is not null);

    public async Task StoreAsync(byte[] archive)
    {
        var key = this.GetPrimaryKeyString();
        if (CodeHash.Problem(key) is { } problem)
            throw new CodeStoreException($"code: {problem}");
        if (archive is null || archive.Length == 0)
            throw new CodeStoreException($"code {CodeHash.Short(key)}: the archive is empty");
        var limit = options.Value.MaxCodeBytes;
        if (archive.Length > limit)
            throw new CodeStoreException($"code {CodeHash.Short(key)}: {ByteSize.Text(archive.Length)} is over this cluster's limit of {ByteSize.Text(limit)} (Experiments:MaxCodeBytes)");
        var actual = CodeHash.Of(archive);
        if (actual != key)
            throw new CodeStoreException($"code {key}: the archive's hash is {actual}; it was changed or damaged on the way");
        if (store.State.Archive is not null)
            return;
        store.State.Archive = archive;
        store.State.StoredAt = DateTimeOffset.UtcNow;
        try
        {
            await _writer.WriteAsync();
        }
        catch
        {
            // Not stored: HasAsync must not say otherwise, or the upload would be skipped next time.
            store.State.Archive = null;
            store.State.StoredAt = null;
            throw;
        }
    }

    public Task<byte[]?> GetAsync() => Task.FromResult(store.State.Archive);
}
