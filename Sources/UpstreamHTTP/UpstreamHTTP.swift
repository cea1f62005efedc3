/// UpstreamHTTP module placeholder.
public enum UpstreamHTTPModule {}
