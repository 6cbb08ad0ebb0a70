using System.Globalization;
using MemberCare.Domain.Defects;
using MemberCare.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MemberCare.Features.Defects;

public static class DefectsApi
{
    public static IServiceCollection AddDefects(this IServiceCollection services)
    {
        services.AddOptions<DefectOptions>().BindConfiguration("Defects").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BlamelessCheck>();
        services.AddSingleton<DefectLog>();
        services.AddSingleton<DefectSweep>();
        services.AddSingleton<DailyBriefing>();
        services.AddSingleton<RecoveryReport>();
        services.AddSingleton<DefectMeasures>();
        services.AddHostedService<DefectSweeper>();
        return services;
    }

    public static IEndpointRouteBuilder MapDefectsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/defects").WithTags("Defects").RequireAuthorization(ApiKeys.Policy);
        group.MapGet("/", List).WithSummary("List defects, most recently changed first");
        group.MapPost("/", Open).WithSummary("Open a defect with the conversations, orders, SKUs and customers it touched");
        group.MapPost("/from-conversation/{conversationId:long}", FromConversation).WithSummary("\"This was our mistake\": open a defect from a conversation");
        group.MapGet("/{id:long}", Get).WithSummary("A defect with its links, root cause, actions, recovery tasks and lesson");
        group.MapPost("/{id:long}/links", Link).WithSummary("Link conversations (also every conversation a search finds), orders, SKUs and customers");
        group.MapPost("/{id:long}/status", Move).WithSummary("Move the defect along an allowed status transition");
        group.MapPut("/{id:long}/classification", Classify).WithSummary("Correct the defect's category and severity");
        group.MapPut("/{id:long}/owner", Owner).WithSummary("Hand the defect to a user (ownerUserId) or a department (ownerDepartment), or to nobody");
        group.MapPut("/{id:long}/root-cause", RootCause).WithSummary("Set the five whys and the cause category; warns when a cause names a colleague");
        group.MapPost("/{id:long}/actions", AddAction).WithSummary("Add a corrective or preventive action with an owner and a due date");
        group.MapPost("/{id:long}/actions/{actionId:long}/complete", CompleteAction).WithSummary("Complete an action with evidence; the last one starts the recurrence watch");
        group.MapPost("/{id:long}/close", Close).WithSummary("Close a verifying defect with its lesson");
        group.MapPut("/{id:long}/recoveries/{customerId:long}", PlanRecovery).WithSummary("Choose a customer's remedy and its amount");
        group.MapPost("/{id:long}/recoveries/{customerId:long}/complete", CompleteRecovery).WithSummary("Record a customer's recovery as done, with the staff minutes it took");
        group.MapGet("/{id:long}/outreach", Outreach).WithSummary("Customers who bought the defect's SKUs and have not complained");
        group.MapPost("/{id:long}/lesson/acknowledgements", Acknowledge).WithSummary("Record that a staff member has read the defect's lesson");
        group.MapGet("/lessons/reads", Reads).WithSummary("For each lesson, who has read it and who has not");
        group.MapGet("/ledger", Ledger).WithSummary("Cost of mistakes per defect and per cause category");
        group.MapGet("/recovery", Comeback).WithSummary("Whether recovered customers ordered again within 90 days, against comparable unaffected customers");
        group.MapGet("/briefing", GetBriefing).WithSummary("The daily briefing of a day (yesterday by default)");
        group.MapGet("/measures", GetMeasures).WithSummary("Defect rates, perfect order rate, cost, recurrence and speed over a period");
        return routes;
    }

    private static async Task<Results<Ok<IReadOnlyList<DefectSummary>>, ValidationProblem>> List(DefectLog log, CancellationToken ct, string? status = null, string? category = null)
    {
        var errors = new FieldErrors();
        var s = Parse<DefectStatus>(errors, "status", status, required: false);
        var c = Parse<DefectCategory>(errors, "category", category, required: false);
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(await log.ListAsync(s, c, ct));
    }

    private static async Task<Results<Ok<DefectDetail>, ProblemHttpResult>> Get(long id, DefectLog log, CancellationToken ct) =>
        await log.GetAsync(id, ct) is { } detail ? TypedResults.Ok(detail) : NotFound(id);

    private static async Task<IResult> Open(HttpRequest request, JsonBodyReader reader, DefectLog log, CancellationToken ct)
    {
        var body = await reader.ReadAsync<NewDefect>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var r = body.Value!;
        var errors = new FieldErrors();
        errors.RequireText("title", r.Title, Defect.MaxTitle);
        var category = Parse<DefectCategory>(errors, "category", r.Category, required: true);
        var severity = Parse<DefectSeverity>(errors, "severity", r.Severity, required: true);
        errors.MaxLength("signatureKey", r.SignatureKey, DefectSignature.MaxLength);
        errors.MaxLength("ownerId", r.OwnerId, 64);
        CheckLinks(errors, r.ConversationIds, r.OrderNumbers, r.Skus, r.CustomerIds);
        if (!errors.Any && !await log.OwnerExistsAsync(r.OwnerId, null, ct))
        {
            errors.Add("ownerId", "names no staff user.");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var (defect, links) = await log.OpenAsync(r.Title, category!.Value, severity!.Value, r.SignatureKey, Who(request), r.OwnerId,
            new LinkRequest(r.ConversationIds, r.OrderNumbers, r.Skus, r.CustomerIds, null), ct);
        return TypedResults.Created($"/api/v1/defects/{defect.Id}", new { defect, links });
    }

    private static async Task<IResult> FromConversation(long conversationId, HttpRequest request, JsonBodyReader reader, DefectLog log, CancellationToken ct)
    {
        var body = await reader.ReadAsync<FromConversationRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var r = body.Value!;
        var errors = new FieldErrors();
        errors.MaxLength("title", r.Title, Defect.MaxTitle);
        var category = Parse<DefectCategory>(errors, "category", r.Category, required: true);
        var severity = Parse<DefectSeverity>(errors, "severity", r.Severity ?? "medium", required: true);
        errors.MaxLength("signatureKey", r.SignatureKey, DefectSignature.MaxLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var defect = await log.OpenFromConversationAsync(conversationId, r.Title, category!.Value, severity!.Value, r.SignatureKey, Who(request), ct);
        return defect is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no conversation {conversationId}.")
            : TypedResults.Created($"/api/v1/defects/{defect.Id}", defect);
    }

    private static async Task<IResult> Link(long id, HttpRequest request, JsonBodyReader reader, DefectLog log, CancellationToken ct)
    {
        var body = await reader.ReadAsync<LinkRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var r = body.Value!;
        var errors = new FieldErrors();
        CheckLinks(errors, r.ConversationIds, r.OrderNumbers, r.Skus, r.CustomerIds);
        errors.MaxLength("search", r.Search, 200);
        if (r.SpikeAlertId is <= 0)
        {
            errors.Add("spikeAlertId", "must be a spike alert id (a positive number).");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var (outcome, result) = await log.LinkAsync(id, r, ct);
        return outcome == DefectOutcome.Done ? TypedResults.Ok(result) : NotFound(id);
    }

    private static async Task<IResult> Move(long id, HttpRequest request, JsonBodyReader reader, DefectLog log, CancellationToken ct)
    {
        var body = await reader.ReadAsync<StatusRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var errors = new FieldErrors();
        var to = Parse<DefectStatus>(errors, "status", body.Value!.Status, required: true);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        return Answer(id, await log.MoveAsync(id, to!.Value, ct), "status");
    }

    private static async Task<IResult> Classify(long id, HttpRequest request, JsonBodyReader reader, DefectLog log, CancellationToken ct)
    {
        var body = await reader.ReadAsync<ClassificationRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var errors = new FieldErrors();
        var category = Parse<DefectCategory>(errors, "category", body.Value!.Category, required: true);
        var severity = Parse<DefectSeverity>(errors, "severity", body.Value.Severity, required: true);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        return Answer(id, await log.ReclassifyAsync(id, category!.Value, severity!.Value, ct), "category");
    }

    private static async Task<IResult> Owner(long id, HttpRequest request, JsonBodyReader reader, DefectLog log, CancellationToken ct)
    {
        var body = await reader.ReadAsync<OwnerRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var r = body.Value!;
        var errors = new FieldErrors();
        if (!string.IsNullOrWhiteSpace(r.OwnerUserId) && !string.IsNullOrWhiteSpace(r.OwnerDepartment))
        {
            errors.Add("ownerDepartment", "is empty when ownerUserId is given: a defect has one owner.");
        }
        errors.MaxLength("ownerUserId", r.OwnerUserId, 64);
        errors.MaxLength("ownerDepartment", r.OwnerDepartment, 40);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var result = await log.AssignOwnerAsync(id, r.OwnerUserId, r.OwnerDepartment, ct);
        if (result.Outcome == DefectOutcome.UnknownOwner)
        {
            errors.Add(string.IsNullOrWhiteSpace(r.OwnerUserId) ? "ownerDepartment" : "ownerUserId", "names no staff user or department.");
            return errors.ToProblem();
        }
        return Answer(id, result, "owner");
    }

    private static async Task<IResult> RootCause(long id, HttpRequest request, JsonBodyReader reader, DefectLog log, CancellationToken ct)
    {
        var body = await reader.ReadAsync<RootCauseRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var r = body.Value!;
        var errors = new FieldErrors();
        var whys = r.Whys ?? [];
        if (whys.Count is 0 or > Defect.MaxWhys)
        {
            errors.Add("whys", $"must hold 1 to {Defect.MaxWhys} answers.");
        }
        if (whys.Any(w => w is null || w.Length > 500))
        {
            errors.Add("whys", "each answer is text of at most 500 characters.");
        }
        var cause = Parse<CauseCategory>(errors, "causeCategory", r.CauseCategory, required: false);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var (outcome, result) = await log.SetRootCauseAsync(id, whys, cause, ct);
        return outcome == DefectOutcome.Done ? TypedResults.Ok(result) : NotFound(id);
    }

    private static async Task<IResult> AddAction(long id, HttpRequest request, JsonBodyReader reader, DefectLog log, CancellationToken ct)
    {
        var body = await reader.ReadAsync<ActionRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var r = body.Value!;
        var errors = new FieldErrors();
        var kind = Parse<ActionKind>(errors, "kind", r.Kind ?? "corrective", required: true);
        errors.RequireText("description", r.Description, DefectAction.MaxDescription);
        if (string.IsNullOrWhiteSpace(r.OwnerUserId) == string.IsNullOrWhiteSpace(r.OwnerDepartment))
        {
            errors.Add("ownerUserId", "give either ownerUserId or ownerDepartment, not both.");
        }
        errors.MaxLength("ownerUserId", r.OwnerUserId, 64);
        errors.MaxLength("ownerDepartment", r.OwnerDepartment, 40);
        if (r.DueAt is null)
        {
            errors.Add("dueAt", "is required (an ISO 8601 time).");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var added = await log.AddActionAsync(id, kind!.Value, r.Description!, r.OwnerUserId, r.OwnerDepartment, r.DueAt!.Value, ct);
        if (added.Outcome == DefectOutcome.UnknownOwner && added.Defect is not null)
        {
            errors.Add(string.IsNullOrWhiteSpace(r.OwnerUserId) ? "ownerDepartment" : "ownerUserId", "names no staff user or department.");
            return errors.ToProblem();
        }
        return Answer(id, added, "status", created: true);
    }

    private static async Task<IResult> CompleteAction(long id, long actionId, HttpRequest request, JsonBodyReader reader, DefectLog log, CancellationToken ct)
    {
        var body = await reader.ReadAsync<EvidenceRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var errors = new FieldErrors();
        errors.RequireText("evidence", body.Value!.Evidence, DefectAction.MaxEvidence);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var result = await log.CompleteActionAsync(id, actionId, body.Value.Evidence!, ct);
        return result.Outcome == DefectOutcome.NotFound && result.Defect is not null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Defect {id} has no action {actionId}.")
            : Answer(id, result, "actionId");
    }

    private static async Task<IResult> Close(long id, HttpRequest request, JsonBodyReader reader, DefectLog log, CancellationToken ct)
    {
        var body = await reader.ReadAsync<LessonRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var r = body.Value!;
        var errors = new FieldErrors();
        errors.RequireText("what", r.What, Defect.MaxText);
        errors.RequireText("why", r.Why, Defect.MaxText);
        errors.RequireText("change", r.Change, Defect.MaxText);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        return Answer(id, await log.CloseAsync(id, r.What!, r.Why!, r.Change!, ct), "status");
    }

    private static async Task<IResult> PlanRecovery(long id, long customerId, HttpRequest request, JsonBodyReader reader, DefectLog log, CancellationToken ct)
    {
        var body = await reader.ReadAsync<RecoveryRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var errors = new FieldErrors();
        var remedy = Parse<Remedy>(errors, "remedy", body.Value!.Remedy, required: true);
        if (body.Value.Amount is < 0 or > 1_000_000)
        {
            errors.Add("amount", "must be between 0 and 1000000.");
        }
        else if (remedy is not null and not Remedy.Apology && body.Value.Amount is null or 0m)
        {
            errors.Add("amount", $"is required for a {remedy.Value.ToKey()}: what it costs, above 0.");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        return Recovery(id, customerId, await log.PlanRecoveryAsync(id, customerId, remedy!.Value, body.Value.Amount ?? 0, ct));
    }

    private static async Task<IResult> CompleteRecovery(long id, long customerId, HttpRequest request, JsonBodyReader reader, DefectLog log, CancellationToken ct)
    {
        var body = await reader.ReadAsync<RecoveryDoneRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var errors = new FieldErrors();
        if (body.Value!.HandlingMinutes is not (>= 0 and <= 10_000))
        {
            errors.Add("handlingMinutes", "is required: the staff minutes the recovery took (0 to 10000).");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        return Recovery(id, customerId, await log.CompleteRecoveryAsync(id, customerId, body.Value.HandlingMinutes!.Value, ct));
    }

    private static async Task<Results<Ok<IReadOnlyList<OutreachCandidate>>, ProblemHttpResult>> Outreach(long id, RecoveryReport report, CancellationToken ct) =>
        await report.OutreachAsync(id, ct) is { } list ? TypedResults.Ok(list) : NotFound(id);

    private static async Task<IResult> Acknowledge(long id, HttpRequest request, JsonBodyReader reader, DefectLog log, CancellationToken ct)
    {
        var body = await reader.ReadAsync<AcknowledgeRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var errors = new FieldErrors();
        errors.RequireText("userId", body.Value!.UserId, 64);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        return await log.AcknowledgeLessonAsync(id, body.Value.UserId!.Trim(), ct) switch
        {
            DefectOutcome.Done => TypedResults.Created($"/api/v1/defects/{id}", new { defectId = id, userId = body.Value.UserId }),
            DefectOutcome.AlreadyDone => TypedResults.Ok(new { defectId = id, userId = body.Value.UserId }),
            DefectOutcome.UnknownUser => UnknownUser(),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Defect {id} has no published lesson."),
        };
    }

    private static ValidationProblem UnknownUser()
    {
        var errors = new FieldErrors();
        errors.Add("userId", "names no staff user.");
        return errors.ToProblem();
    }

    private static async Task<Ok<IReadOnlyList<LessonReads>>> Reads(DailyBriefing briefing, CancellationToken ct) => TypedResults.Ok(await briefing.ReadsAsync(ct));

    private static async Task<Ok<CostLedger>> Ledger(RecoveryReport report, CancellationToken ct) => TypedResults.Ok(await report.LedgerAsync(ct));

    private static async Task<Ok<ComebackReport>> Comeback(RecoveryReport report, CancellationToken ct) => TypedResults.Ok(await report.ComebackAsync(ct));

    private static async Task<Results<Ok<Briefing>, ValidationProblem>> GetBriefing(DailyBriefing briefing, CancellationToken ct, string? day = null)
    {
        if (day is null)
        {
            return TypedResults.Ok(await briefing.BuildAsync(briefing.Yesterday(), ct));
        }
        if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            var errors = new FieldErrors();
            errors.Add("day", "must be a date such as 2026-03-01.");
            return errors.ToProblem();
        }
        return TypedResults.Ok(await briefing.BuildAsync(parsed, ct));
    }

    private static async Task<Results<Ok<Measures>, ValidationProblem>> GetMeasures(DefectMeasures measures, TimeProvider time, CancellationToken ct, string? from = null, string? to = null)
    {
        var errors = new FieldErrors();
        var now = time.GetUtcNow();
        var start = ParseTime(errors, "from", from) ?? now.AddDays(-90);
        var end = ParseTime(errors, "to", to) ?? now;
        if (!errors.Any && end <= start)
        {
            errors.Add("to", "must be after from.");
        }
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(await measures.ComputeAsync(start, end, ct));
    }

    private static DateTimeOffset? ParseTime(FieldErrors errors, string field, string? value)
    {
        if (value is null)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed;
        }
        errors.Add(field, "must be an ISO 8601 time, such as 2026-03-01T00:00:00Z.");
        return null;
    }

    private static IResult Answer(long id, (DefectOutcome Outcome, DefectDetail? Defect) result, string field, bool created = false) => result.Outcome switch
    {
        DefectOutcome.Done when created => TypedResults.Created($"/api/v1/defects/{id}", result.Defect),
        DefectOutcome.Done => TypedResults.Ok(result.Defect),
        DefectOutcome.NotFound => NotFound(id),
        _ => Conflict(id, result.Outcome, result.Defect!, field),
    };

    private static IResult Recovery(long id, long customerId, (DefectOutcome Outcome, DefectDetail? Defect) result) => result.Outcome switch
    {
        DefectOutcome.Done => TypedResults.Ok(result.Defect),
        _ when result.Defect is null => NotFound(id),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Customer {customerId} is not linked to defect {id}."),
    };

    private static ProblemHttpResult Conflict(long id, DefectOutcome outcome, DefectDetail defect, string field)
    {
        var reason = outcome switch
        {
            DefectOutcome.ActionsOpen => "it has actions that are not done yet",
            DefectOutcome.NoActions => "it has no corrective or preventive action yet",
            DefectOutcome.LessonMissing => "it has no lesson yet (close it through /close with what, why and change)",
            DefectOutcome.AlreadyDone => "that action is done already",
            _ => $"that is not allowed from {defect.Status}; allowed: " + (defect.AllowedStatuses.Count > 0 ? string.Join(", ", defect.AllowedStatuses) : "none"),
        };
        return TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Not allowed now",
            detail: $"Defect {id} is {defect.Status}: {reason}.",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [reason + "."] } });
    }

    private static void CheckLinks(FieldErrors errors, IReadOnlyList<long>? conversations, IReadOnlyList<string>? orders, IReadOnlyList<string>? skus, IReadOnlyList<long>? customers)
    {
        if ((conversations?.Count ?? 0) > DefectLog.MaxLinks || (orders?.Count ?? 0) > DefectLog.MaxLinks
            || (skus?.Count ?? 0) > DefectLog.MaxLinks || (customers?.Count ?? 0) > DefectLog.MaxLinks)
        {
            errors.Add("links", $"at most {DefectLog.MaxLinks} of each kind in one request.");
        }
        if (orders?.Any(o => string.IsNullOrWhiteSpace(o) || o.Length > 64) == true)
        {
            errors.Add("orderNumbers", "each is an order number of 1 to 64 characters.");
        }
        if (skus?.Any(s => string.IsNullOrWhiteSpace(s) || s.Length > 64) == true)
        {
            errors.Add("skus", "each is a SKU of 1 to 64 characters.");
        }
    }

    private static T? Parse<T>(FieldErrors errors, string field, string? value, bool required)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, $"is required: one of {string.Join(", ", DefectKeys.Keys<T>())}.");
            }
            return null;
        }
        if (DefectKeys.TryParse<T>(value, out var parsed))
        {
            return parsed;
        }
        errors.Add(field, $"must be one of {string.Join(", ", DefectKeys.Keys<T>())}.");
        return null;
    }

    private static string Who(HttpRequest request) => request.HttpContext.User.Identity?.Name ?? "api";

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no defect {id}.");
}
