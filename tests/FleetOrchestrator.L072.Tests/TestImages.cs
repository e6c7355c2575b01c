using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Images;

namespace FleetOrchestrator.L072.Tests;

internal static class TestImages
{
    public static readonly SemanticVersion V1 = new(1, 0, 0);
    public static readonly SemanticVersion V2 = new(1, 1, 0);
    public static readonly byte[] Old = SyntheticImage.Create(V1);
    public static readonly byte[] New = SyntheticImage.Create(V2);
    public static byte[] Small(SemanticVersion v, ImageBehaviour b = ImageBehaviour.Boots, bool lacksVtor = false) =>
        SyntheticImage.Create(v, b, 4096, lacksVtor);
}
