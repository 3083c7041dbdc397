import React from 'react';
import type { ChestXrayAiHotkey } from '../hotkeys';

/** The AI hotkeys as this viewer binds them, one click away. */
export function HotkeyHelp({ hotkeys }: { hotkeys: readonly ChestXrayAiHotkey[] }) {
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
