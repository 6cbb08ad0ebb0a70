using System.Text;
using MemberCare.Channels.Webhooks;

namespace MemberCare.Tests.Channels;

public sealed class SignatureTests
{
    [Fact]
    public void GitHubs_published_vector_matches_as_lowercase_hex()
    {
        var vector = WebhookFixtures.Vectors.GetProperty("github_official");
        var payload = Encoding.UTF8.GetBytes(vector.GetProperty("payload").GetString()!);
        var secret = vector.GetProperty("secret").GetString()!;

        Assert.Equal(vector.GetProperty("signature_hex").GetString(), WebhookSignature.HexOf(secret, payload));
        Assert.True(WebhookSignature.Matches(secret, payload, vector.GetProperty("signature_hex").GetString(), SignatureEncoding.Hex));
    }

    [Fact]
    public void The_computed_vectors_for_meta_shopify_and_x_match_the_fixture_bytes()
    {
        var vectors = WebhookFixtures.Vectors;
        var meta = vectors.GetProperty("meta_computed");
        Assert.Equal(meta.GetProperty("X-Hub-Signature-256").GetString(),
            "sha256=" + WebhookSignature.HexOf(meta.GetProperty("app_secret").GetString()!, WebhookFixtures.Bytes(meta.GetProperty("file").GetString()!)));
        var shopify = vectors.GetProperty("shopify_computed");
        Assert.Equal(shopify.GetProperty("X-Shopify-Hmac-Sha256").GetString(),
            WebhookSignature.Base64Of(shopify.GetProperty("client_secret").GetString()!, WebhookFixtures.Bytes(shopify.GetProperty("file").GetString()!)));
        var x = vectors.GetProperty("x_computed");
        Assert.Equal(x.GetProperty("x-twitter-webhooks-signature").GetString(),
            "sha256=" + WebhookSignature.Base64Of(x.GetProperty("consumer_secret").GetString()!, WebhookFixtures.Bytes(x.GetProperty("file").GetString()!)));
    }

    [Fact]
    public void The_tampered_meta_signature_example_does_not_match()
    {
        var vectors = WebhookFixtures.Vectors;
        var body = WebhookFixtures.Bytes("meta_messenger_messages_text.webhook.json");
        var tampered = WebhookSignature.AfterPrefix(vectors.GetProperty("negative_cases").GetProperty("meta_tampered_signature_example").GetString(), "sha256=");

        Assert.False(WebhookSignature.Matches(WebhookFixtures.MetaSecret, body, tampered, SignatureEncoding.Hex));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not hex at all")]
    [InlineData("98b860f6")]
    [InlineData("====")]
    public void Malformed_signatures_are_simply_wrong(string signature)
    {
        var body = Encoding.UTF8.GetBytes("{}");
        Assert.False(WebhookSignature.Matches("secret", body, signature, SignatureEncoding.Hex));
        Assert.False(WebhookSignature.Matches("secret", body, signature, SignatureEncoding.Base64));
    }
}
