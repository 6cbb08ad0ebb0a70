using MemberCare.Channels.Email;

namespace MemberCare.Tests.Channels;

public sealed class MailTextTests
{
    [Theory]
    [InlineData("Re: Sv: FWD: Order 10023", "order 10023")]
    [InlineData("AW: [Ticket 12] Wrong   size", "wrong size")]
    [InlineData("Re:", null)]
    [InlineData("Kjole i feil størrelse", "kjole i feil størrelse")]
    public void The_thread_subject_drops_reply_and_forward_prefixes(string subject, string? expected) =>
        Assert.Equal(expected, MailText.ThreadSubject(subject));

    [Fact]
    public void Quoted_history_and_the_signature_are_cut_for_triage()
    {
        const string text = "The zipper broke after one wear.\nCan I return it?\n\n-- \nNora Berg\n+47 900 00 000";
        const string quoted = "Yes, order 10023.\n\nOn Mon, 23 Nov 2026 at 09:00, Care <care@shop.example> wrote:\n> Which order is it?\n> Kari";
        const string norwegian = "Takk!\n\nDen man. 23. nov. 2026 kl. 09:00 skrev Kundeservice <care@shop.example>:\n> Hei";
        const string outlook = "See below.\n-----Original Message-----\nFrom: care";

        Assert.Equal("The zipper broke after one wear.\nCan I return it?", MailText.ForTriage(text));
        Assert.Equal("Yes, order 10023.", MailText.ForTriage(quoted));
        Assert.Equal("Takk!", MailText.ForTriage(norwegian));
        Assert.Equal("See below.", MailText.ForTriage(outlook));
        Assert.Equal("> only a quote", MailText.ForTriage("> only a quote"));
    }

    [Fact]
    public void Html_only_mail_becomes_readable_text()
    {
        var text = MailText.FromHtml("<html><style>p{}</style><body><p>Hello&nbsp;there</p><p>Order &#49;0023</p><script>x()</script></body></html>");

        Assert.Equal("Hello there\nOrder 10023", text);
    }

    [Theory]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31 }, "application/pdf")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10 }, "image/jpeg")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, "image/png")]
    [InlineData(new byte[] { 0x68, 0x69, 0xC3, 0xB8 }, "text/plain")]
    [InlineData(new byte[] { 0x00, 0x01, 0x02 }, "application/octet-stream")]
    public void The_content_type_comes_from_the_bytes(byte[] bytes, string expected) =>
        Assert.Equal(expected, ContentSniffer.Sniff(bytes));
}
