using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MemberCare.Domain.Routing;
using MemberCare.Tests.Support;
using MemberCare.Tests.Workspace;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Tests.Routing;

/// <summary>A department sees and acts on its own hand-offs only, whichever door it uses.</summary>
public sealed class HandoffAccessTests
{
    [Fact]
    public async Task A_department_token_cannot_see_or_act_on_another_departments_hand_off()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = TestApp.Sqlite();
        var api = await HandoffScenario.ApiWithoutRulesAsync(app);
        var conversation = await HandoffScenario.ConversationWithOrderAsync(app, api, "40001");
        var handoff = await HandoffScenario.HandOffAsync(api, conversation, "warehouse");
        var id = handoff.GetProperty("id").GetString();
        var logistics = await HandoffScenario.DepartmentClientAsync(app, api, "logistics");

        var queue = await logistics.GetFromJsonAsync<JsonElement>("/api/v1/department/handoffs", ct);
        using var read = await logistics.GetAsync($"/api/v1/department/handoffs/{id}", ct);
        using var acknowledge = await HandoffScenario.PostAsync(logistics, $"/api/v1/department/handoffs/{id}/acknowledge");
        using var answer = await HandoffScenario.PostAsync(logistics, $"/api/v1/department/handoffs/{id}/answer", new { text = "Not ours, but done." });
        using var reject = await HandoffScenario.PostAsync(logistics, $"/api/v1/department/handoffs/{id}/reject", new { text = "Not ours." });

        Assert.Equal(0, queue.GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, acknowledge.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, reject.StatusCode);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(HandoffStatus.Requested, (await db.Handoffs.SingleAsync(ct)).Status);
    }

    [Fact]
    public async Task The_department_api_refuses_no_token_a_wrong_token_a_replaced_token_and_the_care_api_key()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = TestApp.Sqlite();
        var api = await HandoffScenario.ApiWithoutRulesAsync(app);
        var old = await HandoffScenario.DepartmentClientAsync(app, api, "warehouse");
        var current = await HandoffScenario.DepartmentClientAsync(app, api, "warehouse");
        var wrong = app.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "mcd_not-a-token");

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/department/handoffs", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/v1/department/handoffs", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/api/v1/department/handoffs", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/department/handoffs", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await current.GetAsync("/api/v1/department/handoffs", ct)).StatusCode);
        // A department's token opens its queue and nothing of care's API.
        Assert.Equal(HttpStatusCode.Unauthorized, (await current.GetAsync("/api/v1/conversations", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await current.GetAsync("/api/v1/departments", ct)).StatusCode);
    }

    [Fact]
    public async Task Only_the_hash_of_a_department_token_is_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = TestApp.Sqlite();
        var api = await HandoffScenario.ApiWithoutRulesAsync(app);
        using var response = await api.PostAsync("/api/v1/departments/finance/token", null, ct);
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()!;

        await using var db = await app.OpenDbAsync();
        var stored = await db.Departments.Where(d => d.Key == "finance").Select(d => d.ApiTokenHash).SingleAsync(ct);
        Assert.NotNull(stored);
        Assert.DoesNotContain(token, stored, StringComparison.Ordinal);
        Assert.Equal(64, stored.Length);
    }

    [Fact]
    public async Task A_department_member_sees_their_own_queue_in_the_portal_and_not_another_departments()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = TestApp.Sqlite();
        var api = await HandoffScenario.ApiWithoutRulesAsync(app);
        var toWarehouse = await HandoffScenario.ConversationWithOrderAsync(app, api, "40002");
        var toFinance = await HandoffScenario.ConversationWithOrderAsync(app, api, "40003");
        await HandoffScenario.HandOffAsync(api, toWarehouse, "warehouse", "Check the pick of order 40002.");
        await HandoffScenario.HandOffAsync(api, toFinance, "finance", "Refund the double charge on 40003.");
        var member = Api.Unique("per");
        await StaffSession.CreateAsync(app, member, "department_member");
        using (var put = await api.PutAsJsonAsync($"/api/v1/departments/members/{member}", new { department = "warehouse" }, ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        }
        var browser = await StaffSession.SignedInAsync(app, member);

        var portal = await browser.GetStringAsync("/department", ct);

        Assert.Contains("Check the pick of order 40002.", portal, StringComparison.Ordinal);
        Assert.DoesNotContain("40003", portal, StringComparison.Ordinal);
        // Contact details stay with care unless the department is allowed them.
        Assert.DoesNotContain("@example.com", portal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_without_a_department_is_refused_the_portal()
    {
        await using var app = TestApp.Sqlite();
        var agent = Api.Unique("ada");
        await StaffSession.CreateAsync(app, agent, "agent");
        var browser = await StaffSession.SignedInAsync(app, agent);

        using var response = await browser.GetAsync("/department", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/denied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
