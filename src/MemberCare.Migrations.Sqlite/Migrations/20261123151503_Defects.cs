using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MemberCare.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Defects : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "ConversationId",
                table: "StaffNotifications",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<long>(
                name: "DefectId",
                table: "StaffNotifications",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BriefingMailings",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BriefingMailings", x => x.Day);
                });

            migrationBuilder.CreateTable(
                name: "Defects",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SignatureKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    OpenedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstComplaintAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CauseCategory = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Whys = table.Column<string>(type: "TEXT", maxLength: 2505, nullable: false),
                    VerifyingSince = table.Column<long>(type: "INTEGER", nullable: true),
                    VerifyUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    VerifiedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReopenCount = table.Column<int>(type: "INTEGER", nullable: false),
                    RecurrenceMessageId = table.Column<long>(type: "INTEGER", nullable: true),
                    LessonWhat = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LessonWhy = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LessonChange = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LessonPublishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Defects", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DefectActions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DefectId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    OwnerUserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    OwnerDepartment = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DoneAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Evidence = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RemindedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DefectActions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DefectActions_Defects_DefectId",
                        column: x => x.DefectId,
                        principalTable: "Defects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DefectLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DefectId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RefId = table.Column<long>(type: "INTEGER", nullable: true),
                    LinkedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DefectLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DefectLinks_Defects_DefectId",
                        column: x => x.DefectId,
                        principalTable: "Defects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LessonAcknowledgements",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DefectId = table.Column<long>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AcknowledgedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LessonAcknowledgements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LessonAcknowledgements_Defects_DefectId",
                        column: x => x.DefectId,
                        principalTable: "Defects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RecoveryTasks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DefectId = table.Column<long>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<long>(type: "INTEGER", nullable: false),
                    Remedy = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Amount = table.Column<double>(type: "REAL", precision: 14, scale: 2, nullable: false),
                    HandlingMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DoneAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecoveryTasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RecoveryTasks_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_RecoveryTasks_Defects_DefectId",
                        column: x => x.DefectId,
                        principalTable: "Defects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DefectActions_DefectId",
                table: "DefectActions",
                column: "DefectId");

            migrationBuilder.CreateIndex(
                name: "IX_DefectActions_DoneAt_DueAt",
                table: "DefectActions",
                columns: new[] { "DoneAt", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DefectLinks_DefectId_Kind_Key",
                table: "DefectLinks",
                columns: new[] { "DefectId", "Kind", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DefectLinks_Kind_Key",
                table: "DefectLinks",
                columns: new[] { "Kind", "Key" });

            migrationBuilder.CreateIndex(
                name: "IX_DefectLinks_Kind_RefId",
                table: "DefectLinks",
                columns: new[] { "Kind", "RefId" });

            migrationBuilder.CreateIndex(
                name: "IX_Defects_LessonPublishedAt",
                table: "Defects",
                column: "LessonPublishedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Defects_SignatureKey",
                table: "Defects",
                column: "SignatureKey");

            migrationBuilder.CreateIndex(
                name: "IX_Defects_Status_UpdatedAt",
                table: "Defects",
                columns: new[] { "Status", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_LessonAcknowledgements_DefectId_UserId",
                table: "LessonAcknowledgements",
                columns: new[] { "DefectId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RecoveryTasks_CustomerId",
                table: "RecoveryTasks",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_RecoveryTasks_DefectId_CustomerId",
                table: "RecoveryTasks",
                columns: new[] { "DefectId", "CustomerId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BriefingMailings");

            migrationBuilder.DropTable(
                name: "DefectActions");

            migrationBuilder.DropTable(
                name: "DefectLinks");

            migrationBuilder.DropTable(
                name: "LessonAcknowledgements");

            migrationBuilder.DropTable(
                name: "RecoveryTasks");

            migrationBuilder.DropTable(
                name: "Defects");

            migrationBuilder.DropColumn(
                name: "DefectId",
                table: "StaffNotifications");

            migrationBuilder.AlterColumn<long>(
                name: "ConversationId",
                table: "StaffNotifications",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
