/// JSON module placeholder.
public enum JSONModule {}
