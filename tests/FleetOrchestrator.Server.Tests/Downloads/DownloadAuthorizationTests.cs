using System.Net;
using System.Net.Http.Json;
using FleetOrchestrator.Server.Tests.Support;
using Microsoft.AspNetCore.Mvc;

namespace FleetOrchestrator.Server.Tests.Downloads;

/// <summary>A download needs both the device's own credentials and a grant issued for that device and artifact.</summary>
public sealed class DownloadAuthorizationTests : IAsyncLifetime
{
    private ServerHost _host = null!;
    private string _artifactId = "";

    public async Task InitializeAsync()
    {
        // Own server per test: one test moves the clock.
        _host = await ServerHost.StartAsync();
        _artifactId = await _host.UploadValidAsync(TestImages.ValidBin(2048));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string UrlFor(string deviceId, string? artifactId = null, TimeSpan? lifetime = null) =>
        "/" + _host.Grants.Issue(deviceId, artifactId ?? _artifactId, lifetime).RelativeUrl;

    private async Task<(HttpStatusCode Status, string? Detail, HttpResponseMessage Response)> GetAsync(HttpRequestMessage request)
    {
        var response = await _host.Client.SendAsync(request);
        var detail = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail
            : null;
        return (response.StatusCode, detail, response);
    }

    [Fact]
    public async Task The_granted_device_with_its_secret_downloads()
    {
        var (status, _, _) = await GetAsync(ServerHost.AsDevice(HttpMethod.Get, UrlFor(ServerHost.DeviceId)));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_grant_for_another_device_is_403_naming_both_devices()
    {
        var url = UrlFor(ServerHost.OtherDeviceId);
        var (status, detail, _) = await GetAsync(ServerHost.AsDevice(HttpMethod.Get, url, ServerHost.DeviceId, ServerHost.DeviceSecret));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains(ServerHost.OtherDeviceId, detail);
        Assert.Contains(ServerHost.DeviceId, detail);
    }

    [Fact]
    public async Task An_expired_grant_is_403_saying_it_expired()
    {
        var url = UrlFor(ServerHost.DeviceId, lifetime: TimeSpan.FromMinutes(10));
        _host.Time.Advance(TimeSpan.FromMinutes(10));

        var (status, detail, _) = await GetAsync(ServerHost.AsDevice(HttpMethod.Get, url));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("expired", detail);
    }

    [Fact]
    public async Task A_grant_for_another_artifact_is_403()
    {
        var otherId = await _host.UploadValidAsync(TestImages.ValidBin(2048, seed: 99), "1.3.0");
        var grantForOther = _host.Grants.Issue(ServerHost.DeviceId, otherId);
        var url = $"/artifacts/{_artifactId}/image.bin?device={ServerHost.DeviceId}&exp={grantForOther.ExpiresAt.ToUnixTimeSeconds()}&sig={grantForOther.Signature}";

        var (status, detail, _) = await GetAsync(ServerHost.AsDevice(HttpMethod.Get, url));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains(_artifactId, detail);
    }

    [Fact]
    public async Task A_url_without_a_grant_is_403()
    {
        var (status, detail, _) = await GetAsync(ServerHost.AsDevice(HttpMethod.Get, $"/artifacts/{_artifactId}/image.bin"));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("no download grant", detail);
    }

    [Fact]
    public async Task A_wrong_device_secret_is_401_with_a_basic_challenge()
    {
        var (status, detail, response) = await GetAsync(ServerHost.AsDevice(HttpMethod.Get, UrlFor(ServerHost.DeviceId), ServerHost.DeviceId, "wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("wrong device secret", detail);
    }

    [Fact]
    public async Task Another_devices_valid_credentials_do_not_unlock_this_devices_grant()
    {
        var url = UrlFor(ServerHost.DeviceId);
        var (status, _, _) = await GetAsync(ServerHost.AsDevice(HttpMethod.Get, url, ServerHost.OtherDeviceId, ServerHost.OtherDeviceSecret));
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task No_credentials_is_401()
    {
        var (status, _, response) = await GetAsync(new HttpRequestMessage(HttpMethod.Get, UrlFor(ServerHost.DeviceId)));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("realm=\"fleet-devices\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task The_operator_key_does_not_download()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, UrlFor(ServerHost.DeviceId)) { Headers = { Authorization = ServerHost.Operator() } };
        var (status, _, _) = await GetAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task A_valid_grant_for_an_artifact_that_is_not_stored_is_404()
    {
        var missing = new string('a', 64);
        var (status, detail, _) = await GetAsync(ServerHost.AsDevice(HttpMethod.Get, UrlFor(ServerHost.DeviceId, missing)));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains(missing, detail);
    }

    [Fact]
    public async Task The_url_the_saga_builds_works_as_is()
    {
        var urls = _host.App.Services.GetService(typeof(FleetOrchestrator.Server.Downloads.DownloadUrls)) as FleetOrchestrator.Server.Downloads.DownloadUrls;
        var absolute = urls!.For(ServerHost.DeviceId, _artifactId);

        Assert.Equal(_host.BaseAddress.Authority, absolute.Authority);
        var (status, _, response) = await GetAsync(ServerHost.AsDevice(HttpMethod.Get, absolute.ToString()));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(TestImages.ValidBin(2048), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_image_damaged_on_disk_is_refused_with_500_not_served()
    {
        var id = await _host.UploadValidAsync(TestImages.ValidBin(2048, seed: 77), "1.9.0");
        var path = Path.Combine(_host.Store.RootDirectory, id, FleetOrchestrator.Server.Artifacts.ArtifactStore.ImageFileName);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[100] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var (status, detail, _) = await GetAsync(ServerHost.AsDevice(HttpMethod.Get, UrlFor(ServerHost.DeviceId, id)));

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("not served", detail);
    }
}
