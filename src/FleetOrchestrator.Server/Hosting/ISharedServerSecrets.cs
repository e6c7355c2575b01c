namespace FleetOrchestrator.Server.Hosting;

/// <summary>
/// Named values every node of a deployment reads from one place (the host's database): the manifest signing key,
/// the download-grant key, the bootstrap operator key's hash, and markers of one-time imports. A value, once stored,
/// never changes: that is what makes two nodes starting at once end up with one key.
/// </summary>
public interface ISharedServerSecrets
{
    /// <summary>The value stored under <paramref name="name"/>, or null.</summary>
    string? Find(string name);

    /// <summary>
    /// The value stored under <paramref name="name"/>; when there is none, stores <paramref name="create"/>'s. Of
    /// several callers racing, exactly one value is stored and every caller gets that one back.
    /// </summary>
    string GetOrAdd(string name, Func<string> create);

    /// <summary>Stores <paramref name="value"/> under <paramref name="name"/>, replacing any value: only for an
    /// operator's deliberate replacement (a new bootstrap key hash file), never for generated keys.</summary>
    void Replace(string name, string value);
}
