using System.Net;
using Crawler.Core.Network;
using NUnit.Framework;

namespace Crawler.Core.Tests;

public sealed class AddressClassTests
{
    [TestCase("127.0.0.1", AddressKind.Loopback)]
    [TestCase("127.255.255.254", AddressKind.Loopback)]
    [TestCase("::1", AddressKind.Loopback)]
    [TestCase("10.1.2.3", AddressKind.Private)]
    [TestCase("172.16.0.1", AddressKind.Private)]
    [TestCase("172.31.255.255", AddressKind.Private)]
    [TestCase("172.15.255.255", AddressKind.Public)]
    [TestCase("172.32.0.1", AddressKind.Public)]
    [TestCase("192.168.1.1", AddressKind.Private)]
    [TestCase("169.254.1.1", AddressKind.LinkLocal)]
    [TestCase("100.64.0.1", AddressKind.SharedCgnat)]
    [TestCase("100.127.255.255", AddressKind.SharedCgnat)]
    [TestCase("100.128.0.1", AddressKind.Public)]
    [TestCase("224.0.0.1", AddressKind.Multicast)]
    [TestCase("239.255.255.250", AddressKind.Multicast)]
    [TestCase("240.0.0.1", AddressKind.Reserved)]
    [TestCase("255.255.255.255", AddressKind.Reserved)]
    [TestCase("192.0.2.1", AddressKind.Reserved)]
    [TestCase("198.51.100.7", AddressKind.Reserved)]
    [TestCase("203.0.113.9", AddressKind.Reserved)]
    [TestCase("198.18.0.1", AddressKind.Reserved)]
    [TestCase("0.0.0.0", AddressKind.Unspecified)]
    [TestCase("::", AddressKind.Unspecified)]
    [TestCase("fc00::1", AddressKind.UniqueLocal)]
    [TestCase("fd12::1", AddressKind.UniqueLocal)]
    [TestCase("fe80::1", AddressKind.LinkLocal)]
    [TestCase("ff02::1", AddressKind.Multicast)]
    [TestCase("::ffff:127.0.0.1", AddressKind.Loopback)]
    [TestCase("::ffff:10.0.0.1", AddressKind.Private)]
    [TestCase("::ffff:8.8.8.8", AddressKind.Public)]
    [TestCase("8.8.8.8", AddressKind.Public)]
    [TestCase("2001:4860:4860::8888", AddressKind.Public)]
    [TestCase("2a00:1450:400e:80f::200e", AddressKind.Public)]
    [TestCase("2001:db8::1", AddressKind.Reserved)]
    [TestCase("64:ff9b::a00:1", AddressKind.Private)]
    [TestCase("64:ff9b::7f00:1", AddressKind.Loopback)]
    [TestCase("64:ff9b::808:808", AddressKind.Public)]
    [TestCase("2002:0a00:0001::1", AddressKind.Private)]
    public void Classify_judges_the_address_a_connection_would_go_to(string address, AddressKind expected)
    {
        Assert.That(AddressClass.Classify(IPAddress.Parse(address)), Is.EqualTo(expected));
    }

    [TestCase(AddressKind.Public, false, false, true)]
    [TestCase(AddressKind.Public, true, true, true)]
    [TestCase(AddressKind.Loopback, true, true, true)]
    [TestCase(AddressKind.Loopback, true, false, false)]
    [TestCase(AddressKind.Loopback, false, true, false)]
    [TestCase(AddressKind.Loopback, false, false, false)]
    [TestCase(AddressKind.Private, true, true, false)]
    [TestCase(AddressKind.LinkLocal, true, true, false)]
    [TestCase(AddressKind.SharedCgnat, true, true, false)]
    [TestCase(AddressKind.Multicast, true, true, false)]
    [TestCase(AddressKind.Unspecified, true, true, false)]
    [TestCase(AddressKind.UniqueLocal, true, true, false)]
    [TestCase(AddressKind.Reserved, true, true, false)]
    public void MayConnect_allows_public_addresses_and_loopback_only_in_an_allowing_lab(
        AddressKind kind, bool lab, bool allowLoopbackInLab, bool expected)
    {
        Assert.That(AddressClass.MayConnect(kind, lab, allowLoopbackInLab), Is.EqualTo(expected));
    }

    [Test]
    public void The_real_policy_allows_loopback_in_a_lab()
    {
        var policy = TestData.Policy;
        var loopback = AddressClass.Classify(IPAddress.Loopback);

        Assert.Multiple(() =>
        {
            Assert.That(policy.Network.AllowLoopbackInLab, Is.True);
            Assert.That(AddressClass.MayConnect(loopback, labInstallation: true, policy.Network.AllowLoopbackInLab), Is.True);
            Assert.That(AddressClass.MayConnect(loopback, labInstallation: false, policy.Network.AllowLoopbackInLab), Is.False);
        });
    }
}
