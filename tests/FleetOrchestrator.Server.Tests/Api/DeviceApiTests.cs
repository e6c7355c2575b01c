using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Json;
using FleetOrchestrator.Server.Tests.Support;

namespace FleetOrchestrator.Server.Tests.Api;

public sealed class DeviceApiTests : IAsyncLifetime
{
    private ServerHost _host = null!;

    private static DeviceDetail Device(string id, string version, bool online, string state, string? outcome, params SagaHistoryEntry[] history) =>
        new(new DeviceSummary(id, SemanticVersion.Parse(version), online, state, outcome, null, ServerHost.Epoch),
            new DeviceStateReport(SemanticVersion.Parse(version), BankId.Bank2, true, ImageState.Committed, ResetCause.OptionByteLoad,
                new HardwareInfo("stm32l072cz", 192, "4.1", "Z", 1, new SemanticVersion(1, 0, 0)), 0xDEADBEEF, null),
            history);

    public async Task InitializeAsync()
    {
        _host = await ServerHost.StartAsync();
        _host.Fleet.Add(Device("dev-a", "1.2.0", true, "idle", "succeeded",
            new SagaHistoryEntry(ServerHost.Epoch, "saga-1", "UpdateStarted", "ab", null),
            new SagaHistoryEntry(ServerHost.Epoch.AddMinutes(3), "saga-1", "ImageCommitted", "ab", "trial passed health soak")));
        _host.Fleet.Add(Device("dev-b", "1.2.0", false, "idle", "rolledBack"));
        _host.Fleet.Add(Device("dev-c", "1.1.0", true, "downloading", null));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<HttpResponseMessage> GetAsync(string path) =>
        await _host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Get, path));

    [Fact]
    public async Task Filters_reach_the_read_model_parsed_and_select_devices()
    {
        using var response = await GetAsync("/api/devices?version=1.2.0&online=true&outcome=Succeeded&state=idle");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = (await response.Content.ReadFromJsonAsync<DevicePage>(FleetJson.Options))!;
        Assert.Equal(["dev-a"], page.Devices.Select(d => d.DeviceId));
        Assert.Equal(new DeviceFilter(new SemanticVersion(1, 2, 0), "Succeeded", "idle", true), _host.Fleet.LastFilter);
    }

    [Fact]
    public async Task Without_filters_every_device_is_listed_with_paging()
    {
        using var response = await GetAsync("/api/devices?offset=1&limit=1");
        var page = (await response.Content.ReadFromJsonAsync<DevicePage>(FleetJson.Options))!;
        Assert.Equal(3, page.Total);
        Assert.Equal(["dev-b"], page.Devices.Select(d => d.DeviceId));
    }

    [Theory]
    [InlineData("version=1.2", "version '1.2'")]
    [InlineData("online=maybe", "online is 'maybe'")]
    [InlineData("limit=0", "limit is '0'")]
    [InlineData("limit=100000", "limit is '100000'")]
    [InlineData("offset=-1", "offset is '-1'")]
    [InlineData("state=nonsense",
        "state 'nonsense' is not a saga state; use one of: idle, downloading, healthWindow, completed")]
    [InlineData("outcome=nonsense",
        "outcome 'nonsense' is not a saga outcome; use one of: succeeded, rolledBack, failed")]
    public async Task Bad_filters_are_400_saying_which(string query, string expected)
    {
        using var response = await GetAsync("/api/devices?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task One_device_comes_with_its_last_state_and_saga_history()
    {
        using var response = await GetAsync("/api/devices/dev-a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("dev-a", json.GetProperty("summary").GetProperty("deviceId").GetString());
        Assert.Equal("1.2.0", json.GetProperty("lastState").GetProperty("runningVersion").GetString());
        Assert.Equal("bank2", json.GetProperty("lastState").GetProperty("activeBank").GetString());
        var history = json.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("event").GetString()).ToList();
        Assert.Equal(["UpdateStarted", "ImageCommitted"], history);
    }

    [Fact]
    public async Task An_unknown_device_is_404_naming_it()
    {
        using var response = await GetAsync("/api/devices/dev-zzz");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("'dev-zzz'", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_malformed_device_id_is_400()
    {
        using var response = await GetAsync("/api/devices/dev%2Bplus");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_state_is_a_problem_not_an_empty_page()
    {
        using var response = await GetAsync("/api/devices?state=nonsense");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("state 'nonsense'", problem.GetProperty("errors")[0].GetString());
        Assert.Null(_host.Fleet.LastFilter); // the read model was never asked
    }
}
