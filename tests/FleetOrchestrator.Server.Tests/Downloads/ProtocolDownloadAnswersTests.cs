using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Tests.Support;

namespace FleetOrchestrator.Server.Tests.Downloads;

/// <summary>
/// PROTOCOL.md §5's table of the download endpoint's answers, read from the document: every situation it lists is
/// played against the server and must get the status the document gives, with a problem+json body on errors.
/// </summary>
public sealed partial class ProtocolDownloadAnswersTests : IAsyncLifetime
{
    private const string Granted = "the URL's grant is for the authenticated device and the image";
    private const string NoCredentials =
        "no `Authorization` header, not HTTP Basic, an unknown device id or a wrong secret";
    private const string OtherDevice = "valid credentials of a device other than the one the URL was issued for";
    private const string BadGrant =
        "valid credentials, but the URL's grant has expired, is for another image, was altered or is missing";
    private const string NotStored = "the grant is valid but the image is no longer stored";
    private const string BeyondEnd = "the range starts at or beyond the end of the image";
    private const string Damaged = "the stored image is damaged (it no longer matches its manifest); nothing is sent";

    private ServerHost _host = null!;
    private string _artifactId = "";

    public async Task InitializeAsync()
    {
        _host = await ServerHost.StartAsync();
        _artifactId = await _host.UploadValidAsync(TestImages.ValidBin(2048));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Dictionary<string, string> DocumentedAnswers()
    {
        var document = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "PROTOCOL.md"));
        int start = document.IndexOf("| Situation | Answer |", StringComparison.Ordinal);
        Assert.True(start >= 0, "PROTOCOL.md §5 has no table of the server's answers");
        var answers = new Dictionary<string, string>();
        foreach (var line in document[start..].Split('\n').Skip(2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToArray();
            answers.Add(cells[0], cells[1]);
        }
        return answers;
    }

    /// <summary>The statuses a row gives: every number in backquotes of its answer cell.</summary>
    private static int[] DocumentedStatuses(string situation)
    {
        Assert.True(DocumentedAnswers().TryGetValue(situation, out var answer),
            $"PROTOCOL.md §5 has no row '{situation}'");
        return Status().Matches(answer).Select(m => int.Parse(m.Groups[1].Value)).ToArray();
    }

    private async Task AssertDocumented(string situation, HttpRequestMessage request)
    {
        using var response = await _host.Client.SendAsync(request);
        int status = (int)response.StatusCode;
        var documented = DocumentedStatuses(situation);
        Assert.True(documented.Contains(status),
            $"'{situation}': PROTOCOL.md says {string.Join(" or ", documented)}, the server answered {status}");
        if (status >= 400) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (status == 401)
        {
            var challenge = response.Headers.WwwAuthenticate.ToString();
            Assert.Equal("Basic realm=\"fleet-devices\", charset=\"UTF-8\"", challenge);
        }
    }

    private string UrlFor(string deviceId, string? artifactId = null) =>
        "/" + _host.Grants.Issue(deviceId, artifactId ?? _artifactId).RelativeUrl;

    [Fact]
    public void Every_row_of_the_table_is_played_here() =>
        Assert.Equal(
            new[] { Granted, NoCredentials, OtherDevice, BadGrant, NotStored, BeyondEnd, Damaged }.Order(),
            DocumentedAnswers().Keys.Order());

    [Fact]
    public async Task Granted_whole_and_ranged()
    {
        await AssertDocumented(Granted, ServerHost.AsDevice(HttpMethod.Get, UrlFor(ServerHost.DeviceId)));
        var ranged = ServerHost.AsDevice(HttpMethod.Get, UrlFor(ServerHost.DeviceId));
        ranged.Headers.Range = new RangeHeaderValue(1024, null);
        await AssertDocumented(Granted, ranged);
    }

    [Fact]
    public async Task Missing_or_wrong_credentials()
    {
        var url = UrlFor(ServerHost.DeviceId);
        await AssertDocumented(NoCredentials, new HttpRequestMessage(HttpMethod.Get, url));
        var bearer = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Authorization = new("Bearer", "x") } };
        await AssertDocumented(NoCredentials, bearer);
        await AssertDocumented(NoCredentials, ServerHost.AsDevice(HttpMethod.Get, url, "dev-unknown", "whatever"));
        await AssertDocumented(NoCredentials, ServerHost.AsDevice(HttpMethod.Get, url, ServerHost.DeviceId, "wrong"));
    }

    [Fact]
    public async Task Another_devices_valid_credentials()
    {
        var request = ServerHost.AsDevice(
            HttpMethod.Get, UrlFor(ServerHost.DeviceId), ServerHost.OtherDeviceId, ServerHost.OtherDeviceSecret);
        await AssertDocumented(OtherDevice, request);
    }

    [Fact]
    public async Task A_grant_that_does_not_cover_the_request()
    {
        var expiring = "/" + _host.Grants.Issue(ServerHost.DeviceId, _artifactId, TimeSpan.FromMinutes(1)).RelativeUrl;
        var otherId = await _host.UploadValidAsync(TestImages.ValidBin(2048, seed: 5), "1.3.0");
        var forOther = _host.Grants.Issue(ServerHost.DeviceId, otherId);
        var swapped = $"/artifacts/{_artifactId}/image.bin?device={ServerHost.DeviceId}"
            + $"&exp={forOther.ExpiresAt.ToUnixTimeSeconds()}&sig={forOther.Signature}";
        var altered = UrlFor(ServerHost.DeviceId).Replace("&exp=", "&exp=1", StringComparison.Ordinal);

        await AssertDocumented(BadGrant, ServerHost.AsDevice(HttpMethod.Get, swapped));
        await AssertDocumented(BadGrant, ServerHost.AsDevice(HttpMethod.Get, altered));
        await AssertDocumented(BadGrant, ServerHost.AsDevice(HttpMethod.Get, $"/artifacts/{_artifactId}/image.bin"));
        _host.Time.Advance(TimeSpan.FromMinutes(2));
        await AssertDocumented(BadGrant, ServerHost.AsDevice(HttpMethod.Get, expiring));
    }

    [Fact]
    public async Task A_valid_grant_for_an_image_that_is_not_stored() =>
        await AssertDocumented(NotStored,
            ServerHost.AsDevice(HttpMethod.Get, UrlFor(ServerHost.DeviceId, new string('b', 64))));

    [Fact]
    public async Task A_range_beyond_the_end()
    {
        var request = ServerHost.AsDevice(HttpMethod.Get, UrlFor(ServerHost.DeviceId));
        request.Headers.Range = new RangeHeaderValue(2048, null);
        await AssertDocumented(BeyondEnd, request);
        var head = ServerHost.AsDevice(HttpMethod.Head, UrlFor(ServerHost.DeviceId));
        head.Headers.Range = new RangeHeaderValue(4096, null);
        await AssertDocumented(BeyondEnd, head);
    }

    [Fact]
    public async Task A_damaged_image()
    {
        var id = await _host.UploadValidAsync(TestImages.ValidBin(2048, seed: 8), "1.8.0");
        var path = Path.Combine(_host.Store.RootDirectory, id, ArtifactStore.ImageFileName);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[10] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);
        await AssertDocumented(Damaged, ServerHost.AsDevice(HttpMethod.Get, UrlFor(ServerHost.DeviceId, id)));
    }

    [GeneratedRegex("`([0-9]{3})`")]
    private static partial Regex Status();
}
