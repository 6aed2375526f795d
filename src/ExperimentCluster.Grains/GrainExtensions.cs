using Microsoft.Extensions.Logging;

namespace ExperimentCluster.Grains;

internal static class GrainExtensions
{
    /// <summary>Unregisters a reminder if it is there; a missing reminder or a failing table is only logged.</summary>
    public static async Task UnregisterReminderQuietly(this Grain grain, string name, ILogger logger)
    {
        try
        {
            var reminder = await grain.GetReminder(name);
            if (reminder is not null)
                await grain.UnregisterReminder(reminder);
        }
        catch (Exception e)
        {
            logger.LogWarning("Unregistering reminder {Name} failed: {Message}", name, e.Message);
        }
    }
}
