import React from 'react';
import type { ChestXrayAiHotkey } from '../hotkeys';

/** The AI hotkeys as this viewer binds them, one click away. */
function HotkeyHelpView({ hotkeys }: { hotkeys: readonly ChestXrayAiHotkey[] }) {
  return (
    <details className="cxrai-help" data-testid="cxrai-hotkeys">
      <summary>Keyboard shortcuts</summary>
      <table>
        <tbody>
          {hotkeys.map(({ commandName, label, keys }) => (
            <tr key={commandName} data-command={commandName}>
              <td>
                <kbd>{keys.join(', ')}</kbd>
              </td>
              <td>{label.replace(/^AI: /, '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** Memoised: the panel re-renders on every state change (flushSync), this only when its props change. */
export const HotkeyHelp = React.memo(HotkeyHelpView);
