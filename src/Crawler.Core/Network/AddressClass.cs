using System.Net;
using System.Net.Sockets;

namespace Crawler.Core.Network;

public enum AddressKind
{
    Public,
    Loopback,
    Private,
    LinkLocal,
    SharedCgnat,
    Multicast,
    Unspecified,
    UniqueLocal,
    Reserved,
}

/// <summary>
/// Classifies the address a connection would actually go to. Only <see cref="AddressKind.Public"/>
/// may be crawled; loopback only in a lab installation. IPv4-mapped IPv6 addresses are judged
/// by the IPv4 address inside them.
/// </summary>
public static class AddressClass
{
    public static AddressKind Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => ClassifyV6(address),
            _ => AddressKind.Reserved,
        };
    }

    private static AddressKind ClassifyV4(byte[] b) => b switch
    {
        [0, _, _, _] => AddressKind.Unspecified,
        [127, _, _, _] => AddressKind.Loopback,
        [10, _, _, _] => AddressKind.Private,
        [172, >= 16 and <= 31, _, _] => AddressKind.Private,
        [192, 168, _, _] => AddressKind.Private,
        [169, 254, _, _] => AddressKind.LinkLocal,
        [100, >= 64 and <= 127, _, _] => AddressKind.SharedCgnat,
        [>= 224 and <= 239, _, _, _] => AddressKind.Multicast,
        [>= 240, _, _, _] => AddressKind.Reserved,
        [192, 0, 0, _] => AddressKind.Reserved,
        [192, 0, 2, _] or [198, 51, 100, _] or [203, 0, 113, _] => AddressKind.Reserved,
        [198, 18 or 19, _, _] => AddressKind.Reserved,
        _ => AddressKind.Public,
    };

    private static AddressKind ClassifyV6(IPAddress a)
    {
        if (a.Equals(IPAddress.IPv6Any))
        {
            return AddressKind.Unspecified;
        }

        if (a.Equals(IPAddress.IPv6Loopback))
        {
            return AddressKind.Loopback;
        }

        var b = a.GetAddressBytes();
        if (a.IsIPv6Multicast)
        {
            return AddressKind.Multicast;
        }

        if (a.IsIPv6LinkLocal)
        {
            return AddressKind.LinkLocal;
        }

        if ((b[0] & 0xFE) == 0xFC)
        {
            return AddressKind.UniqueLocal;
        }

        if (a.IsIPv6SiteLocal)
        {
            return AddressKind.Private;
        }

        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed IPv4 addresses; judge the embedded one.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
        {
            return ClassifyV4(b[12..16]);
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return ClassifyV4(b[2..6]);
        }

        // Only global unicast (2000::/3) is public; the rest is reserved or documentation space.
        if ((b[0] & 0xE0) != 0x20 || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8))
        {
            return AddressKind.Reserved;
        }

        return AddressKind.Public;
    }

    /// <summary>Whether a connection to an address of <paramref name="kind"/> may be made.</summary>
    public static bool MayConnect(AddressKind kind, bool labInstallation, bool allowLoopbackInLab) =>
        kind == AddressKind.Public || (kind == AddressKind.Loopback && labInstallation && allowLoopbackInLab);
}
