using System.Net;
using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FleetOrchestrator.Simulation.Links.InProcessHttp;

/// <summary>
/// One entry of <see cref="FleetServerOptions.Urls"/> as an explicit Kestrel <c>Listen</c> call. Needed because
/// <see cref="InProcessHttpRegistration"/> binds the in-process endpoint in code, and Kestrel then ignores URLs given
/// through <c>UseUrls</c>: the TCP URLs are bound in code too, first, keeping them first among the bound addresses.
/// Host names resolve as Kestrel resolves them from <c>UseUrls</c>: localhost = both loopbacks, an IP literal = that
/// address, any other name or <c>*</c> = every address.
/// </summary>
internal sealed record TcpListenUrl(string Url, string Host, int Port, string? UnixSocketPath)
{
    public static TcpListenUrl Parse(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"Fleet:Server:Urls entry '{url}' is not a listen URL: {e.Message}", e);
        }
        if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException(
                $"Fleet:Server:Urls entry '{url}': with the in-process HTTP link, the URLs are bound in code, " +
                $"which supports only http:// (no certificate is configured for {address.Scheme})");
        if (!string.IsNullOrEmpty(address.PathBase))
            throw new InvalidOperationException($"Fleet:Server:Urls entry '{url}' has a path ('{address.PathBase}'); a listen URL names only host and port");
        if (address.IsNamedPipe)
            throw new InvalidOperationException($"Fleet:Server:Urls entry '{url}': named pipes are not supported " +
                "together with the in-process HTTP link");
        return new TcpListenUrl(url, address.Host, address.Port, address.IsUnixPipe ? address.UnixPipePath : null);
    }

    public void ListenOn(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        if (UnixSocketPath is not null)
            kestrel.ListenUnixSocket(UnixSocketPath);
        else if (string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase))
            kestrel.ListenLocalhost(Port);
        else if (IPAddress.TryParse(Host.Trim('[', ']'), out var ip))
            kestrel.Listen(ip, Port);
        else
            kestrel.ListenAnyIP(Port);
    }
}
