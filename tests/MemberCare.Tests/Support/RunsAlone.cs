namespace MemberCare.Tests.Support;

/// <summary>Tests that start servers of their own and load them hard; they run with nothing beside them on two cores.</summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;
