using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace FleetOrchestrator.Server.Dashboard;

/// <summary>The dashboard's page, script and style, built into this assembly (Dashboard/wwwroot).</summary>
internal static class DashboardAssets
{
    private static readonly IFileProvider Files =
        new ManifestEmbeddedFileProvider(typeof(DashboardAssets).Assembly, "Dashboard/wwwroot");

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>The file and its content type, or null when there is none of that name.</summary>
    public static (IFileInfo File, string ContentType)? Find(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
            return null;
        var file = Files.GetFileInfo(name);
        if (!file.Exists || file.IsDirectory) return null;
        return (file, ContentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream");
    }
}
