using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using MovieRec.Web.Hosting;
using IPNetwork = System.Net.IPNetwork;

namespace MovieRec.Web.Security;

/// <summary>
/// Which hops may say who the client is (setting <c>MovieRec:TrustedProxies</c>): X-Forwarded-For and
/// X-Forwarded-Proto are applied only when the connection comes from one of these networks, hop by hop from the
/// right, so a client that writes its own X-Forwarded-For is still known by its real address. Nothing is trusted by
/// default, not even loopback: a client reaching the service directly cannot choose its rate-limit bucket.
/// </summary>
public static class ProxyTrust
{
    /// <summary>The networks in <paramref name="setting"/> ("10.0.0.0/8, 127.0.0.1"; a bare address is one host).</summary>
    /// <exception cref="FormatException">An entry is not an address or a network; the message names it.</exception>
    public static IReadOnlyList<IPNetwork> Parse(string? setting)
    {
        var networks = new List<IPNetwork>();
        if (string.IsNullOrWhiteSpace(setting)) return networks;
        foreach (string raw in setting.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.Contains('/', StringComparison.Ordinal))
            {
                if (!IPNetwork.TryParse(raw, out var network))
                    throw new FormatException($"'{raw}' is not a network (use an address and a prefix length, e.g. 10.0.0.0/8, with the host bits zero)");
                networks.Add(network);
            }
            else if (IPAddress.TryParse(raw, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new FormatException($"'{raw}' is not an IP address or a network");
            }
        }
        return networks;
    }

    /// <summary>Configures the forwarded-headers middleware from <see cref="MovieRecOptions.TrustedProxies"/>.</summary>
    public static IServiceCollection AddProxyTrust(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<MovieRecOptions>>((o, movieRec) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET trusts loopback by default; only the configured hops count here.
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            // Walk X-Forwarded-For from the right while the hop is trusted (ingress behind a cloud balancer: two hops).
            o.ForwardLimit = null;
            IReadOnlyList<IPNetwork> trusted;
            try
            {
                trusted = Parse(movieRec.Value.TrustedProxies);
            }
            catch (FormatException)
            {
                trusted = []; // the options validator stops start-up with the reason
            }
            foreach (var network in trusted) o.KnownIPNetworks.Add(network);
        });
        return services;
    }

    /// <summary>
    /// The rate-limit key of a client address: IPv4 as is (IPv4-mapped IPv6 as IPv4), IPv6 by its /64, the block one
    /// subscriber usually holds, so rotating addresses inside it does not give a client more buckets.
    /// </summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address)) return address.ToString();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
