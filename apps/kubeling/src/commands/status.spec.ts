import { formatTable } from './status';

describe('formatTable', () => {
  it('aligns columns three spaces apart like kubectl, without trailing blanks', () => {
    expect(
      formatTable([
        ['COMPONENT', 'PID', 'STATUS', 'HEALTH', 'PORT'],
        ['api-server-0', '41210', 'running', 'ok', '40417'],
        ['scheduler', '9', 'exited', 'failing', '-'],
      ]),
    ).toEqual([
      'COMPONENT      PID     STATUS    HEALTH    PORT',
      'api-server-0   41210   running   ok        40417',
      'scheduler      9       exited    failing   -',
    ]);
  });
});
