using MemberCare.Domain;
using MemberCare.Domain.Customers;

namespace MemberCare.Tests.Domain;

public sealed class CustomerTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_customer_with_an_email_gets_an_email_identity_in_lower_case()
    {
        var customer = Customer.Create("Kari Nordmann", " Kari@Example.NO ", s_now);

        Assert.Equal("kari@example.no", customer.Email);
        var identity = Assert.Single(customer.Identities);
        Assert.Equal(Channel.Email, identity.Channel);
        Assert.Equal("kari@example.no", identity.Handle);
    }

    [Fact]
    public void Social_handles_compare_without_the_at_sign_and_case()
    {
        var customer = Customer.Create("Kari", null, s_now);

        Assert.True(customer.AddIdentity(Channel.Instagram, "@Kari.Style"));
        Assert.False(customer.AddIdentity(Channel.Instagram, "kari.style"));

        Assert.Equal("kari.style", Assert.Single(customer.Identities).Handle);
    }

    [Fact]
    public void Facebook_ids_are_kept_as_given()
    {
        Assert.Equal("1234567890", CustomerIdentity.NormalizeHandle(Channel.Facebook, " 1234567890 "));
    }

    [Fact]
    public void A_customer_without_a_name_is_named_by_their_email()
    {
        Assert.Equal("ola@example.no", Customer.Create(null, "ola@example.no", s_now).Name);
        Assert.Equal("Unknown customer", Customer.Create("  ", null, s_now).Name);
    }

    [Fact]
    public void The_first_email_identity_becomes_the_customers_email()
    {
        var customer = Customer.Create("Kari", null, s_now);
        customer.AddIdentity(Channel.Email, "Kari@Example.no");
        Assert.Equal("kari@example.no", customer.Email);
    }
}
