using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MemberCare.Migrations.Postgres.Migrations
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
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ApiTokenHash",
                table: "Departments",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ApiTokenIssuedAt",
                table: "Departments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BusinessHours",
                table: "Departments",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "CompleteWithinMinutes",
                table: "Departments",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "DeliveryTargetId",
                table: "Departments",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Holidays",
                table: "Departments",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "LeadUserId",
                table: "Departments",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "SeesContactDetails",
                table: "Departments",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "SeesFullHistory",
                table: "Departments",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "ConversationRoutings",
                columns: table => new
                {
                    ConversationId = table.Column<long>(type: "bigint", nullable: false),
                    Team = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    Tags = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    AutoRepliedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Key = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false),
                    ConversationId = table.Column<long>(type: "bigint", nullable: false),
                    DepartmentKey = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Concern = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Request = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    CustomerWords = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    OrderNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Size = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Colour = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    RequestedById = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RequestedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RuleId = table.Column<long>(type: "bigint", nullable: true),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AcknowledgeDueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CompleteDueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AcknowledgedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AcknowledgedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClosedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Answer = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    RejectReason = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    RemindedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EscalatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    Stop = table.Column<bool>(type: "boolean", nullable: false),
                    Conditions = table.Column<string>(type: "character varying(16000)", maxLength: 16000, nullable: false),
                    Actions = table.Column<string>(type: "character varying(16000)", maxLength: 16000, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RoutingRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RoutingState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    DefaultsWrittenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
