import {
  Channel,
  decodeChannelMessage,
  encodeChannelMessage,
  failureStatus,
  negotiateProtocol,
  nonZeroExitStatus,
  parseResize,
  remoteCommandProtocols,
  successStatus,
} from './channels';

describe('the remotecommand channel protocol', () => {
  it('prefixes each message with its channel byte', () => {
    const msg = encodeChannelMessage(Channel.stdout, 'hi');
    expect([...msg]).toEqual([1, 0x68, 0x69]);
    expect(decodeChannelMessage(msg)).toEqual({ channel: 1, data: Buffer.from('hi') });
    expect(decodeChannelMessage(Buffer.alloc(0))).toBeUndefined();
    expect(decodeChannelMessage(Buffer.from([255, 0]))).toEqual({
      channel: Channel.close,
      data: Buffer.from([0]),
    });
  });

  it('writes the Status kubectl reads: success, and NonZeroExitCode with an ExitCode cause', () => {
    expect(JSON.stringify(successStatus())).toBe('{"metadata":{},"status":"Success"}');
    expect(nonZeroExitStatus(['sh', '-c', 'exit 3'], 3)).toEqual({
      metadata: {},
      status: 'Failure',
      message:
        'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    expect(failureStatus('boom')).toEqual({ metadata: {}, status: 'Failure', message: 'boom' });
  });

  it('reads resize messages and rejects junk', () => {
    expect(parseResize(Buffer.from('{"Width":80,"Height":24}'))).toEqual({ width: 80, height: 24 });
    expect(parseResize(Buffer.from('{"Width":-1,"Height":24}'))).toBeUndefined();
    expect(parseResize(Buffer.from('nope'))).toBeUndefined();
  });

  it('negotiates the first offered protocol it speaks', () => {
    expect(negotiateProtocol(['v5.channel.k8s.io'], remoteCommandProtocols)).toBe(
      'v5.channel.k8s.io',
    );
    expect(
      negotiateProtocol(
        ['v3.channel.k8s.io', 'v4.channel.k8s.io', 'v5.channel.k8s.io'],
        remoteCommandProtocols,
      ),
    ).toBe('v4.channel.k8s.io');
    expect(negotiateProtocol(['channel.k8s.io'], remoteCommandProtocols)).toBeUndefined();
  });
});
