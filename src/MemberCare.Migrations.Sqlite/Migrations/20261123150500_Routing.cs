using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MemberCare.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Routing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "AcknowledgeWithinMinutes",
                table: "Departments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ApiTokenHash",
                table: "Departments",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ApiTokenIssuedAt",
                table: "Departments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BusinessHours",
                table: "Departments",
                type: "TEXT",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "CompleteWithinMinutes",
                table: "Departments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "DeliveryTargetId",
                table: "Departments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Holidays",
                table: "Departments",
                type: "TEXT",
                maxLength: 4000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "LeadUserId",
                table: "Departments",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "SeesContactDetails",
                table: "Departments",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "SeesFullHistory",
                table: "Departments",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "ConversationRoutings",
                columns: table => new
                {
                    ConversationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Team = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    Tags = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    AutoRepliedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConversationRoutings", x => x.ConversationId);
                    table.ForeignKey(
                        name: "FK_ConversationRoutings_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Handoffs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    ConversationId = table.Column<long>(type: "INTEGER", nullable: false),
                    DepartmentKey = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Concern = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Request = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    CustomerWords = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    OrderNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Sku = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Size = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Colour = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    RequestedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RuleId = table.Column<long>(type: "INTEGER", nullable: true),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgeDueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CompleteDueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AcknowledgedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Answer = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    RejectReason = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    RemindedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EscalatedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Handoffs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Handoffs_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RoutingRules",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Stop = table.Column<bool>(type: "INTEGER", nullable: false),
                    Conditions = table.Column<string>(type: "TEXT", maxLength: 16000, nullable: false),
                    Actions = table.Column<string>(type: "TEXT", maxLength: 16000, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RoutingRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RoutingState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    DefaultsWrittenAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RoutingState", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "RoutingState",
                columns: new[] { "Id", "DefaultsWrittenAt", "Version" },
                values: new object[] { 1, null, 1L });

            migrationBuilder.CreateIndex(
                name: "IX_Departments_ApiTokenHash",
                table: "Departments",
                column: "ApiTokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Departments_DeliveryTargetId",
                table: "Departments",
                column: "DeliveryTargetId");

            migrationBuilder.CreateIndex(
                name: "IX_Handoffs_ConversationId_Status",
                table: "Handoffs",
                columns: new[] { "ConversationId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Handoffs_DepartmentKey_Status_RequestedAt",
                table: "Handoffs",
                columns: new[] { "DepartmentKey", "Status", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Handoffs_Key",
                table: "Handoffs",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Handoffs_Status_AcknowledgeDueAt",
                table: "Handoffs",
                columns: new[] { "Status", "AcknowledgeDueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Handoffs_Status_CompleteDueAt",
                table: "Handoffs",
                columns: new[] { "Status", "CompleteDueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_RoutingRules_Position_Id",
                table: "RoutingRules",
                columns: new[] { "Position", "Id" });

            migrationBuilder.AddForeignKey(
                name: "FK_Departments_DeliveryTargets_DeliveryTargetId",
                table: "Departments",
                column: "DeliveryTargetId",
                principalTable: "DeliveryTargets",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Departments_DeliveryTargets_DeliveryTargetId",
                table: "Departments");

            migrationBuilder.DropTable(
                name: "ConversationRoutings");

            migrationBuilder.DropTable(
                name: "Handoffs");

            migrationBuilder.DropTable(
                name: "RoutingRules");

            migrationBuilder.DropTable(
                name: "RoutingState");

            migrationBuilder.DropIndex(
                name: "IX_Departments_ApiTokenHash",
                table: "Departments");

            migrationBuilder.DropIndex(
                name: "IX_Departments_DeliveryTargetId",
                table: "Departments");

            migrationBuilder.DropColumn(
                name: "AcknowledgeWithinMinutes",
                table: "Departments");

            migrationBuilder.DropColumn(
                name: "ApiTokenHash",
                table: "Departments");

            migrationBuilder.DropColumn(
                name: "ApiTokenIssuedAt",
                table: "Departments");

            migrationBuilder.DropColumn(
                name: "BusinessHours",
                table: "Departments");

            migrationBuilder.DropColumn(
                name: "CompleteWithinMinutes",
                table: "Departments");

            migrationBuilder.DropColumn(
                name: "DeliveryTargetId",
                table: "Departments");

            migrationBuilder.DropColumn(
                name: "Holidays",
                table: "Departments");

            migrationBuilder.DropColumn(
                name: "LeadUserId",
                table: "Departments");

            migrationBuilder.DropColumn(
                name: "SeesContactDetails",
                table: "Departments");

            migrationBuilder.DropColumn(
                name: "SeesFullHistory",
                table: "Departments");
        }
    }
}
