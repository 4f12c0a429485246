using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TeamsAlertBot.BotFramework.Hosting;

/// <summary>
/// Binds an options section so that a configured list replaces its default instead of adding to it.
/// The configuration binder appends configured entries to a list (or array) that already holds
/// defaults: an operator who sets <c>Bot:SendLimits:PerConversation</c> to looser windows would keep
/// Teams' tighter defaults as well, and one who lists a single <c>Bot:AllowedServiceUrls</c> origin
/// would still allow the four commercial ones. Lists the configuration does not mention keep their
/// defaults.
/// </summary>
public static class SettingsBinding
{
    // Options objects nest a level or two (Bot → SendLimits); deeper is a mistake, not a setting.
    private const int MaxDepth = 4;

    /// <summary>
    /// Binds <paramref name="sectionPath"/> to <typeparamref name="TOptions"/> (as
    /// <c>BindConfiguration</c> does), first emptying every list property (at any nesting level) that
    /// the section sets.
    /// </summary>
    public static OptionsBuilder<TOptions> BindSettings<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] TOptions>(
        this OptionsBuilder<TOptions> builder, string sectionPath)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        builder.Configure<IConfiguration>((options, config) => ClearConfiguredLists(options, config.GetSection(sectionPath)));
        return builder.BindConfiguration(sectionPath);
    }

    /// <summary>Empties each list of <paramref name="target"/> that <paramref name="section"/> gives entries for.</summary>
    public static void ClearConfiguredLists(object target, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(section);
        Clear(target, section, 0);
    }

    private static void Clear(object target, IConfiguration section, int depth)
    {
        foreach (PropertyInfo property in target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null)
            {
                continue;
            }

            IConfigurationSection child = section.GetSection(property.Name);
            if (!child.GetChildren().Any())
            {
                continue;
            }

            object? value = property.GetValue(target);
            switch (value)
            {
                case Array when property.SetMethod is { IsPublic: true }:
                    // The binder copies an existing array into the bound one: start from none.
                    property.SetValue(target, null);
                    break;
                case IList { IsFixedSize: false, IsReadOnly: false } list:
                    list.Clear();
                    break;
                case not null when depth < MaxDepth && IsSettingsObject(property.PropertyType):
                    Clear(value, child, depth + 1);
                    break;
            }
        }
    }

    private static bool IsSettingsObject(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type)
        && type.Namespace?.StartsWith("TeamsAlertBot", StringComparison.Ordinal) == true;
}
