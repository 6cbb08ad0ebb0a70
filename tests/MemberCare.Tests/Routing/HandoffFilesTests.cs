using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MemberCare.Tests.Channels;
using MemberCare.Tests.Support;
using MemberCare.Tests.Workspace;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace MemberCare.Tests.Routing;

/// <summary>
/// The files a customer sent travel with the hand-off: listed on the card and in the event, fetched by the department
/// the hand-off belongs to (token or portal sign-in) and by care's agents, and by nobody else.
/// </summary>
public sealed class HandoffFilesTests
{
    private static readonly byte[] s_photo = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4];

    [Fact]
    public async Task The_department_of_the_hand_off_and_care_fetch_the_customers_photo_and_nobody_else_does()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = TestApp.Sqlite(MailFixtures.Settings);
        var api = await HandoffScenario.ApiWithoutRulesAsync(app);
        var target = await HandoffScenario.ConnectWebhookAsync(app, api, "warehouse");
        var (damaged, photoId) = await MailWithPhotoAsync(api, "The jacket came torn, photo attached. Order 40011.");
        var (other, otherPhotoId) = await MailWithPhotoAsync(api, "Another parcel, another photo.");
        var handoff = await HandoffScenario.HandOffAsync(api, damaged, "warehouse", "Check the packing of order 40011.");
        var key = handoff.GetProperty("id").GetString()!;
        var warehouse = await HandoffScenario.DepartmentClientAsync(app, api, "warehouse");
        var logistics = await HandoffScenario.DepartmentClientAsync(app, api, "logistics");

        var card = await warehouse.GetFromJsonAsync<JsonElement>($"/api/v1/department/handoffs/{key}", ct);
        var file = Assert.Single(card.GetProperty("attachments").EnumerateArray().ToList());
        var href = file.GetProperty("href").GetString()!;
        using var download = await warehouse.GetAsync(href, ct);
        using var byLogistics = await logistics.GetAsync(href, ct);
        using var otherConversationsFile = await warehouse.GetAsync($"/api/v1/department/handoffs/{key}/files/{otherPhotoId}", ct);

        Assert.Equal("damage.png", file.GetProperty("fileName").GetString());
        Assert.Equal("image/png", file.GetProperty("contentType").GetString());
        Assert.Equal(s_photo.Length, file.GetProperty("size").GetInt64());
        Assert.Equal($"/api/v1/department/handoffs/{key}/files/{photoId}", href);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(s_photo, await download.Content.ReadAsByteArrayAsync(ct));
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.NotFound, byLogistics.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherConversationsFile.StatusCode);

        // The department's tool hears of the file in the requested event, with the address to fetch it.
        await using (var db = await app.OpenDbAsync())
        {
            var body = await db.Outbox.Where(o => o.TargetId == target && o.EventType == "handoff.requested").Select(o => o.Body).SingleAsync(ct);
            using var requested = JsonDocument.Parse(body);
            var announced = Assert.Single(requested.RootElement.GetProperty("handoff").GetProperty("attachments").EnumerateArray().ToList());
            Assert.Equal(href, announced.GetProperty("href").GetString());
            Assert.Equal($"/api/v1/department/handoffs/{key}", requested.RootElement.GetProperty("handoff").GetProperty("href").GetString());
        }

        // The portal lists the file and serves it to the warehouse's members only.
        var member = await MemberOfAsync(app, api, "warehouse");
        var outsider = await MemberOfAsync(app, api, "logistics");
        var portal = await member.GetStringAsync("/department", ct);
        using var portalDownload = await member.GetAsync($"/department/files/{key}/{photoId}", ct);
        using var outsiderDownload = await outsider.GetAsync($"/department/files/{key}/{photoId}", ct);
        Assert.Contains("damage.png", portal, StringComparison.Ordinal);
        Assert.Contains($"department/files/{key}/{photoId}", portal, StringComparison.Ordinal);
        Assert.Equal(s_photo, await portalDownload.Content.ReadAsByteArrayAsync(ct));
        Assert.Equal(HttpStatusCode.NotFound, outsiderDownload.StatusCode);

        // Care's agents fetch it from the conversation it belongs to, behind their sign-in.
        var agentName = Api.Unique("agent");
        await StaffSession.CreateAsync(app, agentName, "agent");
        var agent = await StaffSession.SignedInAsync(app, agentName);
        using var agentDownload = await agent.GetAsync($"/conversations/{damaged}/files/{photoId}", ct);
        using var wrongConversation = await agent.GetAsync($"/conversations/{other}/files/{photoId}", ct);
        using var anonymous = await app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false })
            .GetAsync($"/conversations/{damaged}/files/{photoId}", ct);
        var view = await agent.GetStringAsync($"/conversations/{damaged}", ct);
        Assert.Equal(s_photo, await agentDownload.Content.ReadAsByteArrayAsync(ct));
        Assert.Equal(HttpStatusCode.NotFound, wrongConversation.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("signin", anonymous.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"conversations/{damaged}/files/{photoId}", view, StringComparison.Ordinal);
    }

    private static async Task<(long ConversationId, long FileId)> MailWithPhotoAsync(HttpClient api, string text)
    {
        var ct = TestContext.Current.CancellationToken;
        var mail = new MimeMessage();
        mail.From.Add(new MailboxAddress("Nora Berg", Api.Unique("nora") + "@example.no"));
        mail.To.Add(MailboxAddress.Parse(MailFixtures.CareAddress));
        mail.Subject = "Damaged parcel";
        mail.MessageId = Api.Unique("photo") + "@example.no";
        var builder = new BodyBuilder { TextBody = text };
        builder.Attachments.Add("damage.png", s_photo, ContentType.Parse("image/png"));
        mail.Body = builder.ToMessageBody();
        using var buffer = new MemoryStream();
        await mail.WriteToAsync(buffer, ct);
        using var response = await api.PostMailAsync(buffer.ToArray());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var conversationId = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("conversationId").GetInt64();
        var files = await api.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversationId}/attachments", ct);
        return (conversationId, Assert.Single(files.EnumerateArray().ToList()).GetProperty("id").GetInt64());
    }

    private static async Task<HttpClient> MemberOfAsync(TestApp app, HttpClient api, string department)
    {
        var name = Api.Unique("member");
        await StaffSession.CreateAsync(app, name, "department_member");
        using (var put = await api.PutAsJsonAsync($"/api/v1/departments/members/{name}", new { department }, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        }
        return await StaffSession.SignedInAsync(app, name);
    }
}
