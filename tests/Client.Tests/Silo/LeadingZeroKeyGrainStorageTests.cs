using GradGuessCluster.Silo.Storage;
using Orleans.Runtime;

namespace GradGuessCluster.Client.Tests.Silo;

/// <summary>The keys the PostgreSQL provider would file under one integer are told apart; every other key is left as it is,
/// so rows stored before are still found. (End to end on a real PostgreSQL: PostgresClusterEndToEndTests.)</summary>
public sealed class LeadingZeroKeyGrainStorageTests
{
    [Theory]
    [InlineData("07")]
    [InlineData("007")]
    [InlineData("0a")]
    [InlineData("00")]
    public void AKeyWithLeadingZerosThatParsesAsAnInteger_BecomesAStringKeyOfItsOwn(string key)
    {
        var mapped = LeadingZeroKeyGrainStorage.Distinct(GrainId.Create("gg-sweep", key));
        Assert.Equal(key + "~", mapped.Key.ToString());
        Assert.Equal("gg-sweep", mapped.Type.ToString());
        Assert.False(mapped.TryGetIntegerKey(out _, out _));
        Assert.False(mapped.TryGetGuidKey(out _, out _));
    }

    [Theory]
    [InlineData("7")]
    [InlineData("0")]
    [InlineData("cafe")]
    [InlineData("0-mnist")]
    [InlineData("e2e-postgres")]
    [InlineData("07/0123456789abcdef/0")]
    public void OtherKeys_AreLeftAsTheyAre(string key)
    {
        var id = GrainId.Create("gg-sweep", key);
        Assert.Equal(id, LeadingZeroKeyGrainStorage.Distinct(id));
    }

    [Fact]
    public void TheKeysItSeparates_DidCollide()
    {
        // What the provider does with them: 7 and 07 read as the same integer.
        Assert.True(GrainId.Create("gg-sweep", "7").TryGetIntegerKey(out var seven, out _));
        Assert.True(GrainId.Create("gg-sweep", "07").TryGetIntegerKey(out var zeroSeven, out _));
        Assert.Equal(seven, zeroSeven);
    }
}
